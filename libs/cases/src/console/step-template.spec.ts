import type { District } from '@tongban/config';
import { MessageType } from '@tongban/envelope';
import { CaseState } from '../case-state';
import { StepFacts, stepTemplate } from './step-template';

const luohu = { id: '440303', name: '深圳市罗湖区', nameEn: 'Luohu', regionCode: '440303', serviceCentreUscc: '11440303MB2C12345X' } as unknown as District;
const now = new Date('2026-11-25T02:00:00Z');
const facts = (over: Partial<StepFacts> = {}): StepFacts => ({
  now,
  officer: '孙九',
  district: luohu,
  state: CaseState.ACKNOWLEDGED,
  item: undefined,
  promisedDueAt: new Date('2026-11-26T15:59:59.999Z'),
  statutoryDueAt: null,
  submission: null,
  supplementRequest: null,
  submissionRef: { messageId: 'm-1', envelopeDigest: `sha256:${'a'.repeat(64)}` },
  ...over,
});

describe('stepTemplate: a step form holds what the gateway knows, nothing made up', () => {
  it('signs for the submission it names, as the officer and district', () => {
    expect(stepTemplate(MessageType.CASE_ACKNOWLEDGEMENT, facts())).toEqual({
      acknowledgedMessageId: 'm-1',
      acknowledgedEnvelopeDigest: `sha256:${'a'.repeat(64)}`,
      signedBy: { officer: '孙九', body: '深圳市罗湖区' },
      signedAt: now.toISOString(),
    });
  });

  it('accepts with the district as the body and the limits counted from now; the notice number is left to the officer', () => {
    const acceptance = stepTemplate(MessageType.ACCEPTANCE, facts());
    expect(acceptance).toEqual({
      acceptingBody: { name: '深圳市罗湖区', uscc: '11440303MB2C12345X' },
      officer: '孙九',
      acceptedAt: now.toISOString(),
      promisedDueAt: '2026-11-26T15:59:59.999Z',
      regionCode: '440303',
    });
    expect(acceptance).not.toHaveProperty('noticeNumber');
  });

  it('asks for supplements in the phase the case is in, with no items chosen for the officer', () => {
    expect(stepTemplate(MessageType.SUPPLEMENT_REQUEST, facts())).toMatchObject({ phase: 'BEFORE_ACCEPTANCE', items: [] });
    expect(stepTemplate(MessageType.SUPPLEMENT_REQUEST, facts({ state: CaseState.IN_REVIEW }))).toMatchObject({ phase: 'AFTER_ACCEPTANCE' });
  });

  it('answers the latest supplement request line by line, under its notice number', () => {
    const supplementRequest = { noticeNumber: 'BZ-7', items: [{ materialCode: 'NCR-02', name: '居民户口簿', problem: 'MISSING' }, { name: '情况说明', problem: 'OTHER' }] };
    expect(stepTemplate(MessageType.SUPPLEMENT, facts({ supplementRequest }))).toEqual({
      noticeNumber: 'BZ-7',
      materials: [
        { code: 'NCR-02', name: '居民户口簿', form: 'COPY', count: 1, receivedAt: now.toISOString() },
        { name: '情况说明', form: 'COPY', count: 1, receivedAt: now.toISOString() },
      ],
      submittedAt: now.toISOString(),
    });
  });

  it('follows the submission: mailed originals and their waybill, courier delivery of the result', () => {
    const submission = {
      materials: [{ code: 'NCR-01', form: 'COPY' }, { code: 'NCR-03', form: 'ORIGINAL' }],
      originalsMailed: { waybillNumber: 'EMS1234567890', carrier: 'EMS' },
      mailing: { address: '深圳市罗湖区某路1号', postcode: '518000' },
    };
    expect(stepTemplate(MessageType.ORIGINALS_MAILED, facts({ submission }))).toEqual({ waybill: { number: 'EMS1234567890', carrier: 'EMS', sentAt: now.toISOString() }, materials: ['NCR-03'] });
    expect(stepTemplate(MessageType.DELIVERY_CONFIRMATION, facts({ submission }))).toMatchObject({ method: 'MAIL_DELIVERED', officer: '孙九' });
    expect(stepTemplate(MessageType.DELIVERY_CONFIRMATION, facts())).toMatchObject({ method: 'WINDOW_HANDOVER' });
    expect(stepTemplate(MessageType.CONCLUSION, facts({ submission }))).toMatchObject({ byCourier: true, certificate: { issuer: '深圳市罗湖区' } });
    expect(stepTemplate(MessageType.CONCLUSION, facts())).not.toHaveProperty('certificate.number');
  });
});

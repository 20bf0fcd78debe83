import { findConverter } from '@tongban/contracts';
import { MessageType, sha256Digest, verifyConversion } from '@tongban/envelope';
import { demoCaseNumber, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { v7 as uuidv7 } from 'uuid';
import { Stack, createTestDatabase, eventually, startStack, uniquePrefix } from '../support/harness';

const ZHONGKAI = 'HZ-ZHONGKAI'; // accepts case-submission 1.0.0 and 2.0.0
const LUOHU = '440303'; // accepts 1.0.0 and 2.0.0
const FUTIAN = '440304'; // accepts 2.0.0 only
const TIANHE = '440106'; // accepts 1.0.0 only

/** Several contract versions side by side: the recipient reads the version it accepts. */
describe('contract versions side by side', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('versions') });
  });
  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  async function handOff(to: string, version: '1.0.0' | '2.0.0') {
    const v1 = demoSubmissionPayload(stack.config.alliance, ZHONGKAI, to);
    const payload = version === '1.0.0' ? v1 : (findConverter('case-submission', '1.0.0', '2.0.0')!.convert(v1) as Record<string, unknown>);
    const signed = await signedMessage(
      stack.signingKey(ZHONGKAI),
      { caseNumber: demoCaseNumber(ZHONGKAI), collaborationId: uuidv7(), sender: ZHONGKAI, recipient: to, messageType: MessageType.CASE_SUBMISSION, payload },
      version,
    );
    const accepted = await stack.client(ZHONGKAI).submit(signed.envelope);
    expect(accepted.status).toBe(202);
    const recipient = stack.client(to);
    const item = await eventually(async () => (await recipient.pull()).body.items.find((i) => i.messageId === signed.body.messageId));
    await recipient.ack([item.messageId]);
    return { signed, item, caseView: (await recipient.getCase(signed.body.caseNumber)).body };
  }

  it('converts 2.0.0 down to 1.0.0 for a recipient that accepts only 1.0.0, signed by the gateway', async () => {
    const { signed, item, caseView } = await handOff(TIANHE, '2.0.0');
    expect(item.envelope).toBe(signed.envelope); // the sender's signed original always travels
    expect(item.contract).toBe('case-submission@1.0.0');
    const conversion = await verifyConversion(item.conversion!, stack.runtime.keys);
    expect(conversion).toMatchObject({ messageId: signed.body.messageId, envelopeDigest: sha256Digest(signed.envelope), from: 'case-submission@2.0.0', to: 'case-submission@1.0.0' });
    const applicant = (signed.body.payload as { applicant: { familyName: string; givenName: string } }).applicant;
    expect((conversion.payload as { applicant: { name: string } }).applicant.name).toBe(`${applicant.familyName}${applicant.givenName}`);
    expect(stack.runtime.contracts.validate('case-submission', '1.0.0', conversion.payload)).toEqual([]);
    expect(caseView).toMatchObject({ contractVersion: '1.0.0' });
  });

  it('converts 1.0.0 up to 2.0.0 for a recipient that accepts only 2.0.0', async () => {
    const { item, caseView } = await handOff(FUTIAN, '1.0.0');
    expect(item.contract).toBe('case-submission@2.0.0');
    const conversion = await verifyConversion(item.conversion!, stack.runtime.keys);
    expect(conversion.payload).toMatchObject({ applicant: { familyName: '张', givenName: '三' } });
    expect(caseView).toMatchObject({ contractVersion: '2.0.0' });
  });

  it('delivers unchanged when the recipient accepts the sender’s version', async () => {
    for (const version of ['1.0.0', '2.0.0'] as const) {
      const { item, caseView } = await handOff(LUOHU, version);
      expect(item).toMatchObject({ contract: `case-submission@${version}`, conversion: null });
      expect(caseView).toMatchObject({ contractVersion: version });
    }
  });

  it('refuses, recorded, what cannot be converted for the recipient: CONVERSION_FAILED (422)', async () => {
    const payload = demoSubmissionPayload(stack.config.alliance, ZHONGKAI, FUTIAN) as { applicant: { name: string } };
    payload.applicant.name = '王'; // one character: no family and given name to split into
    const signed = await signedMessage(stack.signingKey(ZHONGKAI), {
      caseNumber: demoCaseNumber(ZHONGKAI),
      collaborationId: uuidv7(),
      sender: ZHONGKAI,
      recipient: FUTIAN,
      messageType: MessageType.CASE_SUBMISSION,
      payload,
    });
    const refused = await stack.client(ZHONGKAI).submit(signed.envelope);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'CONVERSION_FAILED', violations: [expect.objectContaining({ pointer: expect.stringMatching(/^\/payload\/applicant/) })] });
    expect(JSON.stringify(refused.body)).not.toContain('王');
    const rows = await stack.runtime.database.dataSource.query(`SELECT code FROM rejections WHERE message_id = $1`, [signed.body.messageId]);
    expect(rows).toEqual([{ code: 'CONVERSION_FAILED' }]);
  });
});

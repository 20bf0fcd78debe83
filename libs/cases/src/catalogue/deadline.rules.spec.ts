import { loadCalendars } from '@tongban/calendar';
import { loadConfig } from '@tongban/config';
import { MessageType } from '@tongban/envelope';
import { join } from 'node:path';
import { CaseState } from '../case-state';
import type { CaseRecord } from '../ports/handoff-store.port';
import { caseUpdateFor } from './deadline.rules';

const ROOT = join(__dirname, '..', '..', '..', '..');
const config = loadConfig({ rootDir: ROOT, env: {} });
const calendars = loadCalendars(join(ROOT, 'config', 'calendars'));
const agreement = config.alliance.agreements.find((a) => a.approvingDistrict === '440303')!;
const item = agreement.items[0];

const record = (overrides: Partial<CaseRecord>): CaseRecord => ({
  caseNumber: 'C-1',
  collaborationId: 'x',
  collectingDistrict: agreement.collectingDistrict,
  approvingDistrict: '440303',
  agreementId: agreement.id,
  itemCode: item.implementationCode,
  itemName: item.name,
  contractVersion: '1.0.0',
  state: CaseState.ACKNOWLEDGED,
  caseType: '2',
  suspensionKind: null,
  receivedAt: null,
  supplementNoticeDueAt: null,
  acceptedAt: null,
  promisedDueAt: null,
  statutoryDueAt: null,
  suspendedAt: null,
  pausedWorkingDays: 0,
  deadlineNote: null,
  toleratedItemsDueAt: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  ...overrides,
});
const update = (type: MessageType, r: CaseRecord, to: CaseState, at: string, payload: Record<string, unknown> = {}) =>
  caseUpdateFor(type, r, to, payload, new Date(at), config.alliance, calendars);
const luohu = calendars.forDistrict('440303');

describe('deadlines of a case (approving district’s working days)', () => {
  it('runs the 5-working-day supplement-notice rule from receipt, across the 2026 Spring Festival', () => {
    const u = update(MessageType.CASE_ACKNOWLEDGEMENT, record({ state: CaseState.DISPATCHED }), CaseState.ACKNOWLEDGED, '2026-02-12T10:00:00+08:00');
    // 2/13 Fri (1), 2/14 Sat make-up working day (2), holiday 2/15–2/23, 2/24 (3), 2/25 (4), 2/26 (5).
    expect(u.supplementNoticeDueAt).toEqual(new Date('2026-02-26T23:59:59.999+08:00'));
  });

  it('sets promised and statutory due dates from the item’s limits at acceptance', () => {
    const at = '2026-03-02T09:00:00+08:00';
    const u = update(MessageType.ACCEPTANCE, record({}), CaseState.ACCEPTED, at);
    expect(u.acceptedAt).toEqual(new Date(at));
    expect(u.promisedDueAt).toEqual(luohu.addLimit(new Date(at), item.promisedLimit));
    expect(u.statutoryDueAt).toEqual(luohu.addLimit(new Date(at), item.statutoryLimit));
    expect(u.promisedDueAt!.getTime()).toBeLessThanOrEqual(u.statutoryDueAt!.getTime());
  });

  it('extends both due dates by exactly the paused working days of a special procedure', () => {
    const accepted = record({ state: CaseState.ACCEPTED, promisedDueAt: new Date('2026-03-20T23:59:59.999+08:00'), statutoryDueAt: new Date('2026-04-10T23:59:59.999+08:00') });
    const suspended = update(MessageType.SUSPENSION, accepted, CaseState.SUSPENDED, '2026-03-05T10:00:00+08:00', { kind: 'EXPERT_REVIEW' });
    expect(suspended).toMatchObject({ suspendedAt: new Date('2026-03-05T10:00:00+08:00'), suspensionKind: 'EXPERT_REVIEW' });
    const during = { ...accepted, ...suspended, state: CaseState.SUSPENDED } as CaseRecord;
    // Paused from Thu 3/5 to Thu 3/12: 3/6, 3/9, 3/10, 3/11, 3/12 = 5 working days.
    const resumed = update(MessageType.RESUMPTION, during, CaseState.IN_REVIEW, '2026-03-12T15:00:00+08:00');
    expect(resumed.pausedWorkingDays).toBe(5);
    expect(resumed.promisedDueAt).toEqual(luohu.extendByPausedWorkingDays(accepted.promisedDueAt!, 5));
    expect(resumed.promisedDueAt).toEqual(new Date('2026-03-27T23:59:59.999+08:00'));
    expect(resumed.statutoryDueAt).toEqual(luohu.extendByPausedWorkingDays(accepted.statutoryDueAt!, 5));
    expect(resumed).toMatchObject({ suspendedAt: null, suspensionKind: null });
  });

  it('keeps the case going without a due date when the calendar of that year is not published yet', () => {
    const u = update(MessageType.ACCEPTANCE, record({}), CaseState.ACCEPTED, '2026-12-31T09:00:00+08:00');
    expect(u.acceptedAt).toBeDefined();
    expect(u.deadlineNote).toMatch(/2027/);
  });
});

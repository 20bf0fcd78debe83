import { MessageType } from '@tongban/envelope';
import { CaseError, CaseErrorCode } from '../case-error';
import { CaseParty, CaseState } from '../case-state';
import type { CaseRecord } from '../ports/handoff-store.port';
import { LIFECYCLE, RuleFacts, SAME_STATE } from './case-lifecycle';

export function partyOf(record: CaseRecord, district: string): CaseParty | null {
  if (district === record.collectingDistrict) return CaseParty.COLLECTING;
  if (district === record.approvingDistrict) return CaseParty.APPROVING;
  return null;
}

function factsOf(record: CaseRecord): Omit<RuleFacts, 'payload'> {
  return { caseType: record.caseType, suspensionKind: record.suspensionKind, toleratedItemsPending: record.toleratedItemsDueAt !== null };
}

function rulesFor(record: CaseRecord, district: string) {
  const party = partyOf(record, district);
  if (!party) return [];
  return LIFECYCLE.filter((r) => r.from.includes(record.state) && (r.party === party || r.party === 'EITHER'));
}

/** What the district may send next on this case (the server's "allowed actions", like RINA's). */
export function allowedActions(record: CaseRecord, district: string): MessageType[] {
  const facts: Omit<RuleFacts, 'payload'> = factsOf(record);
  const types = rulesFor(record, district)
    // A rule whose condition is on the case itself (not the payload) is only offered when it holds.
    .filter((r) => !r.when || r.when.on === 'payload' || r.when.test({ ...facts, payload: {} }))
    .map((r) => r.type);
  return [...new Set(types)];
}

/** Where this message takes the case, or a 409 with the allowed actions. */
export function resolveTransition(record: CaseRecord, district: string, type: MessageType, payload: Record<string, unknown>): CaseState {
  const facts: RuleFacts = { ...factsOf(record), payload };
  const candidates = rulesFor(record, district).filter((r) => r.type === type);
  const rule = candidates.find((r) => !r.when || r.when.test(facts));
  if (!rule) {
    const reason = candidates.find((r) => r.when)?.when?.unless;
    throw new CaseError(
      CaseErrorCode.ACTION_NOT_ALLOWED,
      `${district} may not send ${type} on case ${record.caseNumber} while it is ${record.state}` + (reason ? ` (${reason}).` : '.'),
      { state: record.state, allowedActions: allowedActions(record, district) },
    );
  }
  const to = typeof rule.to === 'function' ? rule.to(facts) : rule.to;
  return to === SAME_STATE ? record.state : to;
}

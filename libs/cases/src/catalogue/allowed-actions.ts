import { MessageType } from '@tongban/envelope';
import { CaseParty, CaseState } from '../case-state';
import type { CaseRecord } from '../ports/handoff-store.port';

/**
 * Which message each party may send in each state. The hand-off backbone covers submission and
 * acknowledgement; the full lifecycle extends this table, and the server answers "what may happen
 * next" from it for every case.
 */
const TRANSITIONS: ReadonlyArray<{ from: CaseState; party: CaseParty; type: MessageType; to: CaseState }> = [
  { from: CaseState.DISPATCHED, party: CaseParty.APPROVING, type: MessageType.CASE_ACKNOWLEDGEMENT, to: CaseState.ACKNOWLEDGED },
];

export function partyOf(record: CaseRecord, district: string): CaseParty | null {
  if (district === record.collectingDistrict) return CaseParty.COLLECTING;
  if (district === record.approvingDistrict) return CaseParty.APPROVING;
  return null;
}

export function allowedActions(record: CaseRecord, district: string): MessageType[] {
  const party = partyOf(record, district);
  return TRANSITIONS.filter((t) => t.from === record.state && t.party === party).map((t) => t.type);
}

export function transitionFor(record: CaseRecord, district: string, type: MessageType): CaseState | null {
  const party = partyOf(record, district);
  return TRANSITIONS.find((t) => t.from === record.state && t.party === party && t.type === type)?.to ?? null;
}

import type { Alliance } from '@tongban/config';
import type { EnvelopeBody, MessageType } from '@tongban/envelope';
import type { WorkingCalendars } from '../ports/calendars.port';
import type { CaseChange, CaseRecord, HandoffStore } from '../ports/handoff-store.port';

export interface HandlerContext {
  body: EnvelopeBody;
  contract: { id: string; version: string };
  envelopeDigest: string;
  /** Reads the message's case (once, on demand): a handler that opens a case never pays for it. */
  loadCase(): Promise<CaseRecord | null>;
  at: Date;
  alliance: Alliance;
  calendars: WorkingCalendars;
  store: HandoffStore;
}

/**
 * One message type's business rule: given a verified, schema-valid envelope, decide what it does to
 * its case (or refuse with a CaseError). Adding a type = one contract schema, one payload type, one handler.
 */
export interface MessageHandler {
  readonly type: MessageType;
  plan(ctx: HandlerContext): Promise<CaseChange>;
}

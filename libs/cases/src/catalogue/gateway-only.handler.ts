import type { MessageType } from '@tongban/envelope';
import { CaseError, CaseErrorCode } from '../case-error';
import type { CaseChange } from '../ports/handoff-store.port';
import type { HandlerContext, MessageHandler } from './message-handler';

/** Types only the gateway itself sends (deadline events): a district sending one is refused. */
export class GatewayOnlyHandler implements MessageHandler {
  constructor(readonly type: MessageType) {}

  async plan(_context: HandlerContext): Promise<CaseChange> {
    throw new CaseError(CaseErrorCode.ACTION_NOT_ALLOWED, `Only the gateway sends ${this.type}; districts receive it.`, { allowedActions: [] });
  }
}

import { MessageType } from '@tongban/envelope';
import { CaseAcknowledgementHandler } from './case-acknowledgement.handler';
import { CaseSubmissionHandler } from './case-submission.handler';
import type { MessageHandler } from './message-handler';

/**
 * Every message type has exactly one handler: checked when the catalogue is built (at boot), so a
 * type added to the enum without a handler stops start-up instead of failing a partner's message.
 */
export class MessageCatalogue {
  private readonly handlers = new Map<MessageType, MessageHandler>();

  constructor(handlers: MessageHandler[] = [new CaseSubmissionHandler(), new CaseAcknowledgementHandler()]) {
    for (const handler of handlers) {
      if (this.handlers.has(handler.type)) throw new Error(`Message type ${handler.type} has two handlers`);
      this.handlers.set(handler.type, handler);
    }
    const missing = Object.values(MessageType).filter((type) => !this.handlers.has(type));
    if (missing.length > 0) throw new Error(`Message types without a handler: ${missing.join(', ')}`);
  }

  handlerFor(type: MessageType): MessageHandler {
    const handler = this.handlers.get(type);
    if (!handler) throw new Error(`No handler for ${type}`);
    return handler;
  }

  types(): MessageType[] {
    return [...this.handlers.keys()];
  }
}

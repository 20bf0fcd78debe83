import { MessageType } from '@tongban/envelope';
import { CaseAcknowledgementHandler } from './case-acknowledgement.handler';
import { CaseSubmissionHandler } from './case-submission.handler';
import { LIFECYCLE } from './case-lifecycle';
import { GatewayOnlyHandler } from './gateway-only.handler';
import { LifecycleHandler } from './lifecycle.handler';
import type { MessageHandler } from './message-handler';

/** Submission and 签收 have their own rules, deadline events come only from the gateway; every other step is the lifecycle table's. */
function defaultHandlers(): MessageHandler[] {
  const special = [new CaseSubmissionHandler(), new CaseAcknowledgementHandler(), new GatewayOnlyHandler(MessageType.DEADLINE_EVENT)];
  const specialTypes = new Set<MessageType>(special.map((h) => h.type));
  return [...special, ...Object.values(MessageType).filter((t) => !specialTypes.has(t)).map((t) => new LifecycleHandler(t))];
}

/**
 * Every message type has exactly one handler: checked when the catalogue is built (at boot), so a
 * type added to the enum without a handler stops start-up instead of failing a partner's message.
 */
export class MessageCatalogue {
  private readonly handlers = new Map<MessageType, MessageHandler>();

  constructor(handlers: MessageHandler[] = defaultHandlers()) {
    for (const handler of handlers) {
      if (this.handlers.has(handler.type)) throw new Error(`Message type ${handler.type} has two handlers`);
      this.handlers.set(handler.type, handler);
    }
    const missing = Object.values(MessageType).filter((type) => !this.handlers.has(type));
    if (missing.length > 0) throw new Error(`Message types without a handler: ${missing.join(', ')}`);
    // A lifecycle step the table never allows would be refused forever: catch it at boot instead.
    const unreachable = [...this.handlers.values()]
      .filter((h) => h instanceof LifecycleHandler && !LIFECYCLE.some((rule) => rule.type === h.type))
      .map((h) => h.type);
    if (unreachable.length > 0) throw new Error(`Message types with no rule in LIFECYCLE: ${unreachable.join(', ')}`);
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

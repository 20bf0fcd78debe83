import type { ConversionBody, EnvelopeBody, ReceiptBody } from '@tongban/envelope';

/** The broker as the outbox relay sees it: resolves only once every message is confirmed. */
export interface PublishedMessage {
  messageId: string;
  recipient: string;
  type: string;
  body: Buffer;
}
export abstract class MessagePublisher {
  abstract publish(batch: PublishedMessage[]): Promise<void>;
}

/** Wakes the outbox relay right after a commit, so a hand-off does not wait for the next poll. */
export abstract class OutboxSignal {
  abstract notify(): void;
}

/** Signs, with the gateway's key, receipts to senders and conversions for recipients. */
export abstract class GatewaySigner {
  abstract readonly gatewayId: string;
  abstract signReceipt(body: ReceiptBody): Promise<string>;
  abstract signConversion(body: ConversionBody): Promise<string>;
  /** An envelope the gateway itself sends (sender `gateway`), e.g. a deadline event. */
  abstract signEnvelope(body: EnvelopeBody, contract: { id: string; version: string }): Promise<string>;
}

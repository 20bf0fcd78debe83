import { Injectable } from '@nestjs/common';
import { KeyRing, decodeEnvelope, verifyEnvelope } from '@tongban/envelope';
import { Clock } from '../ports/clock.port';
import { ExchangePolicy } from '../ports/exchange-policy.port';
import { HandoffStore, StoredMessage } from '../ports/handoff-store.port';
import { PushClient } from '../ports/push-client.port';

/** A delivery that can never succeed: the consumer dead-letters it at once. */
export class UndeliverableError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'UndeliverableError';
  }
}

export interface DeliverMessageCommand {
  messageId: string;
  recipient: string;
  envelope: string;
}

/**
 * The worker's one job per broker message: re-verify what came off the queue, then put it in the
 * recipient's inbox (pull) or POST it to the recipient's endpoint (push), committing the effect
 * before the broker message is acknowledged. A redelivered message finds its inbox row and is a no-op.
 */
@Injectable()
export class DeliverMessageUseCase {
  constructor(
    private readonly store: HandoffStore,
    private readonly keys: KeyRing,
    private readonly policy: ExchangePolicy,
    private readonly push: PushClient,
    private readonly clock: Clock,
  ) {}

  async execute(command: DeliverMessageCommand): Promise<'delivered' | 'duplicate'> {
    // The broker is not trusted with integrity: the bytes must carry the sender's valid signature and be
    // the very envelope the gateway accepted (its digest is matched inside the inbox statement).
    const decoded = decodeEnvelope(command.envelope);
    await verifyEnvelope(decoded, this.keys);
    const delivery = { messageId: command.messageId, recipient: command.recipient, envelopeDigest: decoded.digest };

    const district = this.policy.alliance.district(command.recipient);
    if (!district?.push) {
      // Hot path: one statement, no read first.
      if (await this.store.recordDelivery(delivery, 'PULL', this.clock.now(), false)) return 'delivered';
      await this.requireAccepted(delivery);
      return 'duplicate';
    }
    const stored = await this.requireAccepted(delivery);
    if (stored.deliveredAt) return 'duplicate';
    const outcome = await this.push.push(district.push.url, {
      messageId: stored.messageId,
      messageType: stored.messageType,
      envelope: stored.envelope,
      receipt: stored.receipt,
      conversion: stored.conversion,
    });
    if (!outcome.ok) {
      const permanent = outcome.status !== undefined && outcome.status >= 400 && outcome.status < 500 && ![408, 425, 429].includes(outcome.status);
      if (permanent) throw new UndeliverableError('PUSH_REFUSED', `${district.id} refused the push: ${outcome.reason}`);
      throw new Error(`Push to ${district.id} failed: ${outcome.reason}`);
    }
    // A 2xx from the district's endpoint is its acknowledgement.
    return (await this.store.recordDelivery(delivery, 'PUSH', this.clock.now(), true)) ? 'delivered' : 'duplicate';
  }

  /** The accepted message behind a broker delivery, or why there can never be one. */
  private async requireAccepted(delivery: { messageId: string; recipient: string; envelopeDigest: string }): Promise<StoredMessage> {
    const stored = await this.store.findMessage(delivery.messageId);
    if (!stored) throw new UndeliverableError('UNKNOWN_MESSAGE', `No accepted message ${delivery.messageId} behind this delivery.`);
    if (stored.envelopeDigest !== delivery.envelopeDigest || stored.recipient !== delivery.recipient) {
      throw new UndeliverableError('TAMPERED', `Broker message ${delivery.messageId} differs from the accepted envelope.`);
    }
    return stored;
  }
}

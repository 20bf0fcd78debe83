import { Injectable } from '@nestjs/common';
import { Clock } from '../ports/clock.port';
import { HandoffStore } from '../ports/handoff-store.port';
import { MessagePublisher } from '../ports/message-publisher.port';

/**
 * Moves committed messages from the outbox to the broker. Rows are deleted only after the broker
 * confirmed every message of the batch, so a crash republishes (the worker's inbox dedupes) and
 * never loses. Several relays may run at once: rows are claimed with SKIP LOCKED.
 */
@Injectable()
export class RelayOutboxUseCase {
  constructor(
    private readonly store: HandoffStore,
    private readonly publisher: MessagePublisher,
    private readonly clock: Clock,
  ) {}

  /** Publishes until the outbox is empty; returns how many messages went out. */
  async drain(batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.store.relayOutbox(
        batchSize,
        (items) =>
          this.publisher.publish(
            items.map((item) => ({
              messageId: item.messageId,
              recipient: item.recipient,
              type: item.messageType,
              body: Buffer.from(item.envelope, 'utf8'),
            })),
          ),
        this.clock.now(),
      );
      total += published;
      if (published < batchSize) return total;
    }
  }
}

import { Injectable } from '@nestjs/common';
import { CaseError, CaseErrorCode } from '../case-error';
import { Clock } from '../ports/clock.port';
import { HandoffStore } from '../ports/handoff-store.port';
import { OutboxSignal } from '../ports/message-publisher.port';

/** Dead letters: recorded when the broker gives up, listed and replayed by an administrator. */
@Injectable()
export class DeadLettersUseCase {
  constructor(
    private readonly store: HandoffStore,
    private readonly outbox: OutboxSignal,
    private readonly clock: Clock,
  ) {}

  async record(messageId: string, reason: string): Promise<void> {
    await this.store.markDeadLettered(messageId, reason, this.clock.now());
  }

  async list(limit: number, recipient?: string) {
    return this.store.listDeadLettered(Math.min(Math.max(limit, 1), 500), recipient);
  }

  async replay(messageId: string, actor: string): Promise<void> {
    const at = this.clock.now();
    const replayed = await this.store.replay(messageId, actor, at);
    if (!replayed) {
      await this.store.recordAdminAction({ at, actor, action: 'dead-letter.replay', target: messageId, outcome: 'REFUSED: not dead-lettered' });
      throw new CaseError(CaseErrorCode.NOT_DEAD_LETTERED, `Message ${messageId} is not dead-lettered; only dead letters can be replayed.`);
    }
    this.outbox.notify();
  }
}

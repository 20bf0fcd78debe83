import { Injectable } from '@nestjs/common';
import { Clock } from '../ports/clock.port';
import { HandoffStore } from '../ports/handoff-store.port';

/** A district confirms it has stored messages from its inbox; they leave the inbox and count as acknowledged. */
@Injectable()
export class AcknowledgeInboxUseCase {
  constructor(
    private readonly store: HandoffStore,
    private readonly clock: Clock,
  ) {}

  async execute(district: string, messageIds: string[]): Promise<{ acknowledged: string[]; unknown: string[] }> {
    const acknowledged = await this.store.acknowledgeInbox(district, [...new Set(messageIds)], this.clock.now());
    const done = new Set(acknowledged);
    return { acknowledged, unknown: messageIds.filter((id) => !done.has(id)) };
  }
}

import { Injectable } from '@nestjs/common';
import { HandoffStore, InboxItem } from '../ports/handoff-store.port';

export interface InboxPage {
  items: InboxItem[];
  /** Pass as `after` to read past this page without acknowledging; on an empty page, the `after` given. */
  nextCursor: string | null;
}

/** A district reads the messages waiting for it, oldest first; they stay until acknowledged. */
@Injectable()
export class PullInboxUseCase {
  constructor(private readonly store: HandoffStore) {}

  async execute(district: string, after: string | null, limit: number): Promise<InboxPage> {
    const items = await this.store.pullInbox(district, after, Math.min(Math.max(limit, 1), 500));
    return { items, nextCursor: items.length > 0 ? items[items.length - 1].seq : after };
  }
}

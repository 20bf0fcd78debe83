import { Injectable } from '@nestjs/common';
import { CaseError, CaseErrorCode } from '../case-error';
import { MessageStatus } from '../case-state';
import { HandoffStore } from '../ports/handoff-store.port';

export interface MessageStatusView {
  messageId: string;
  messageType: string;
  caseNumber: string;
  sender: string;
  recipient: string;
  status: MessageStatus;
  acceptedAt: string;
  queuedAt: string | null;
  deliveredAt: string | null;
  acknowledgedAt: string | null;
  deadLetteredAt: string | null;
  deadLetterReason: string | null;
  receipt: string;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Either party of a message asks where it stands. */
@Injectable()
export class GetMessageStatusUseCase {
  constructor(private readonly store: HandoffStore) {}

  async execute(district: string | null, messageId: string): Promise<MessageStatusView> {
    const message = await this.store.findMessage(messageId);
    if (!message) throw new CaseError(CaseErrorCode.MESSAGE_NOT_FOUND, `No message ${messageId}.`);
    if (district !== null && district !== message.sender && district !== message.recipient) {
      throw new CaseError(CaseErrorCode.NOT_A_PARTY, `Only the sender and the recipient may see message ${messageId}.`);
    }
    return {
      messageId: message.messageId,
      messageType: message.messageType,
      caseNumber: message.caseNumber,
      sender: message.sender,
      recipient: message.recipient,
      status: message.status,
      acceptedAt: message.acceptedAt.toISOString(),
      queuedAt: iso(message.queuedAt),
      deliveredAt: iso(message.deliveredAt),
      acknowledgedAt: iso(message.acknowledgedAt),
      deadLetteredAt: iso(message.deadLetteredAt),
      deadLetterReason: message.deadLetterReason,
      receipt: message.receipt,
    };
  }
}

import { Injectable } from '@nestjs/common';
import { CONTRACT_ID_BY_TYPE, EnvelopeBody, MessageType, canonicalJson, sha256Digest } from '@tongban/envelope';
import { MessageStatus } from '../case-state';
import { Clock, IdGenerator } from '../ports/clock.port';
import { DueDeadline, HandoffStore, StoredMessage } from '../ports/handoff-store.port';
import { GatewaySigner, OutboxSignal } from '../ports/message-publisher.port';

/** The envelope sender of what the gateway itself says; its keys are the gateway's published ones. */
export const GATEWAY_SENDER = 'gateway';
const CONTRACT = { id: CONTRACT_ID_BY_TYPE[MessageType.DEADLINE_EVENT], version: '1.0.0' };

/**
 * The worker's deadline timer: for every limit that reached its warning share or its due time, the
 * gateway signs a `case.deadline-event` to BOTH districts and commits the event, the two messages and
 * their outbox rows in one transaction. The event's key (case, limit, kind) makes it once only —
 * across restarts and with several workers running the timer.
 */
@Injectable()
export class EmitDeadlineEventsUseCase {
  constructor(
    private readonly store: HandoffStore,
    private readonly signer: GatewaySigner,
    private readonly outbox: OutboxSignal,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Returns how many events were emitted. */
  async run(warningShare: number, batch = 200): Promise<number> {
    const now = this.clock.now();
    let emitted = 0;
    for (const due of await this.store.findDueDeadlines(now, warningShare, batch)) {
      const messages = await Promise.all([due.collectingDistrict, due.approvingDistrict].map((to) => this.message(due, to, now, warningShare)));
      if (await this.store.recordDeadlineEvent(due, now, messages)) emitted += 1;
    }
    if (emitted > 0) this.outbox.notify();
    return emitted;
  }

  private async message(due: DueDeadline, recipient: string, now: Date, warningShare: number): Promise<StoredMessage> {
    const body: EnvelopeBody = {
      messageId: this.ids.next(),
      caseNumber: due.caseNumber,
      collaborationId: due.collaborationId,
      sender: GATEWAY_SENDER,
      recipient,
      messageType: MessageType.DEADLINE_EVENT,
      sentAt: now.toISOString(),
      payload: {
        deadline: due.deadline,
        kind: due.kind,
        dueAt: due.dueAt.toISOString(),
        startedAt: due.startedAt.toISOString(),
        ...(due.kind === 'WARNING' ? { warningShare } : {}),
        emittedAt: now.toISOString(),
      },
    };
    const envelope = await this.signer.signEnvelope(body, CONTRACT);
    const envelopeDigest = sha256Digest(envelope);
    const receiptId = this.ids.next();
    const receipt = await this.signer.signReceipt({
      receiptId,
      messageId: body.messageId,
      envelopeDigest,
      sender: GATEWAY_SENDER,
      recipient,
      caseNumber: due.caseNumber,
      receivedAt: now.toISOString(),
      gateway: this.signer.gatewayId,
      status: 'ACCEPTED',
    });
    return {
      messageId: body.messageId,
      caseNumber: due.caseNumber,
      collaborationId: due.collaborationId,
      sender: GATEWAY_SENDER,
      recipient,
      messageType: MessageType.DEADLINE_EVENT,
      contractId: CONTRACT.id,
      contractVersion: CONTRACT.version,
      envelope,
      envelopeDigest,
      bodyDigest: sha256Digest(canonicalJson(body)),
      sentAt: now,
      acceptedAt: now,
      receiptId,
      receipt,
      status: MessageStatus.ACCEPTED,
      queuedAt: null,
      deliveredAt: null,
      acknowledgedAt: null,
      deadLetteredAt: null,
      deadLetterReason: null,
      replayCount: 0,
      deliveredContractVersion: CONTRACT.version,
      conversion: null,
    };
  }
}

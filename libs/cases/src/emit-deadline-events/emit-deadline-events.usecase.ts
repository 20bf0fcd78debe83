import { Injectable } from '@nestjs/common';
import { CONTRACT_ID_BY_TYPE, EnvelopeBody, MessageType, canonicalJson, sha256Digest } from '@tongban/envelope';
import { Clock, IdGenerator } from '../ports/clock.port';
import { CaseConflictError, DueDeadline, HandoffStore, StoredMessage, acceptedMessage } from '../ports/handoff-store.port';
import { GatewaySigner, OutboxSignal } from '../ports/message-publisher.port';

/** The envelope sender of what the gateway itself says; its keys are the gateway's published ones. */
export const GATEWAY_SENDER = 'gateway';

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
      // 容缺 items that never came end the case (DOMAIN §3 step 4): the gateway terminates it and tells both sides.
      const terminates = due.deadline === 'TOLERATED_ITEMS' && due.kind === 'OVERDUE';
      const messages = await Promise.all(
        [due.collectingDistrict, due.approvingDistrict].map((to) => (terminates ? this.termination(due, to, now) : this.message(due, to, now, warningShare))),
      );
      try {
        if (await this.store.recordDeadlineEvent(due, now, messages, terminates ? { from: due.state } : undefined)) emitted += 1;
      } catch (error) {
        // The case moved meanwhile (e.g. the items arrived): the next tick looks again.
        if (!(error instanceof CaseConflictError)) throw error;
      }
    }
    if (emitted > 0) this.outbox.notify();
    return emitted;
  }

  private termination(due: DueDeadline, recipient: string, now: Date): Promise<StoredMessage> {
    return this.signed(due, recipient, now, MessageType.TERMINATION, {
      reason: `容缺材料未在期限内补齐（期限 ${due.dueAt.toISOString()}），办件由网关异常终止 / Tolerated items not supplied by their due date; the gateway terminated the case`,
      reasonCode: 'MISSING_TOLERATED_ITEMS',
      terminatedAt: now.toISOString(),
      officer: this.signer.gatewayId,
    });
  }

  private message(due: DueDeadline, recipient: string, now: Date, warningShare: number): Promise<StoredMessage> {
    return this.signed(due, recipient, now, MessageType.DEADLINE_EVENT, {
      deadline: due.deadline,
      kind: due.kind,
      dueAt: due.dueAt.toISOString(),
      startedAt: due.startedAt.toISOString(),
      ...(due.kind === 'WARNING' ? { warningShare } : {}),
      emittedAt: now.toISOString(),
    });
  }

  private async signed(due: DueDeadline, recipient: string, now: Date, messageType: MessageType, payload: Record<string, unknown>): Promise<StoredMessage> {
    const contract = { id: CONTRACT_ID_BY_TYPE[messageType], version: '1.0.0' };
    const body: EnvelopeBody = {
      messageId: this.ids.next(),
      caseNumber: due.caseNumber,
      collaborationId: due.collaborationId,
      sender: GATEWAY_SENDER,
      recipient,
      messageType,
      sentAt: now.toISOString(),
      payload,
    };
    const envelope = await this.signer.signEnvelope(body, contract);
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
    return acceptedMessage({
      messageId: body.messageId,
      caseNumber: due.caseNumber,
      collaborationId: due.collaborationId,
      sender: GATEWAY_SENDER,
      recipient,
      messageType,
      contractId: contract.id,
      contractVersion: contract.version,
      envelope,
      envelopeDigest,
      bodyDigest: sha256Digest(canonicalJson(body)),
      sentAt: now,
      acceptedAt: now,
      receiptId,
      receipt,
      deliveredContractVersion: contract.version,
      conversion: null,
    });
  }
}

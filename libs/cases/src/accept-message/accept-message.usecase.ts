import { Injectable } from '@nestjs/common';
import { ContractConversionError, ContractError, ContractRegistry } from '@tongban/contracts';
import {
  CONTRACT_ID_BY_TYPE,
  DecodedEnvelope,
  EnvelopeError,
  EnvelopeErrorCode,
  KeyRing,
  decodeEnvelope,
  sha256Digest,
  verifyEnvelope,
} from '@tongban/envelope';
import { CaseError, CaseErrorCode } from '../case-error';
import { allowedActions } from '../catalogue/allowed-actions';
import { MessageCatalogue } from '../catalogue/message-catalogue';
import { Clock, IdGenerator } from '../ports/clock.port';
import { ExchangePolicy } from '../ports/exchange-policy.port';
import {
  CaseConflictError,
  CaseRecord,
  DuplicateCaseError,
  DuplicateMessageError,
  HandoffStore,
  StoredMessage,
  acceptedMessage,
} from '../ports/handoff-store.port';
import { GatewaySigner, OutboxSignal } from '../ports/message-publisher.port';
import { NegotiatedContract, negotiateContract } from '../catalogue/contract-negotiation';
import { payloadToCanonical, payloadToPartner } from '../catalogue/partner-codes';
import { CheckMaterialReferencesUseCase } from '../materials/check-material-references.usecase';
import type { AcceptMessageCommand, AcceptMessageResult } from './accept-message.command';

const ENVELOPE_CODES: Record<EnvelopeErrorCode, CaseErrorCode> = {
  [EnvelopeErrorCode.MALFORMED_JWS]: CaseErrorCode.ENVELOPE_MALFORMED,
  [EnvelopeErrorCode.MALFORMED_BODY]: CaseErrorCode.ENVELOPE_MALFORMED,
  [EnvelopeErrorCode.NOT_CANONICAL]: CaseErrorCode.ENVELOPE_NOT_CANONICAL,
  [EnvelopeErrorCode.BAD_SIGNATURE]: CaseErrorCode.SIGNATURE_INVALID,
  [EnvelopeErrorCode.ALG_MISMATCH]: CaseErrorCode.SIGNATURE_INVALID,
  [EnvelopeErrorCode.UNKNOWN_KID]: CaseErrorCode.UNKNOWN_KEY_ID,
};

/**
 * The gateway's front door: verify, validate, authorise, then commit message + case change + outbox
 * row in one transaction and answer with a signed receipt. Every refusal is recorded.
 */
@Injectable()
export class AcceptMessageUseCase {
  constructor(
    private readonly store: HandoffStore,
    private readonly keys: KeyRing,
    private readonly contracts: ContractRegistry,
    private readonly policy: ExchangePolicy,
    private readonly catalogue: MessageCatalogue,
    private readonly signer: GatewaySigner,
    private readonly outbox: OutboxSignal,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly materialReferences: CheckMaterialReferencesUseCase,
  ) {}

  async execute(command: AcceptMessageCommand): Promise<AcceptMessageResult> {
    const receivedAt = this.clock.now();
    let decoded: DecodedEnvelope | undefined;
    try {
      if (command.sizeBytes > this.policy.maxMessageBytes) {
        throw new CaseError(
          CaseErrorCode.PAYLOAD_TOO_LARGE,
          `The envelope is ${command.sizeBytes} bytes; the limit is ${this.policy.maxMessageBytes}. Send materials separately and reference them by digest.`,
          { limit: this.policy.maxMessageBytes },
        );
      }
      decoded = this.decode(command.envelope);
      return await this.accept(decoded, command, receivedAt);
    } catch (error) {
      if (error instanceof CaseError) {
        await this.store.recordRejection({
          receivedAt,
          peer: command.callerDistrict,
          code: error.code,
          messageId: decoded?.body.messageId ?? null,
          envelopeDigest: decoded?.digest ?? sha256Digest(command.envelope),
          sizeBytes: command.sizeBytes,
          detail: error.message,
        });
      }
      throw error;
    }
  }

  private async accept(decoded: DecodedEnvelope, command: AcceptMessageCommand, receivedAt: Date): Promise<AcceptMessageResult> {
    const { body } = decoded;
    if (body.sender !== command.callerDistrict) {
      throw new CaseError(
        CaseErrorCode.SENDER_NOT_CALLER,
        `The envelope's sender is ${body.sender} but the client certificate belongs to ${command.callerDistrict}.`,
        { sender: body.sender, certificateDistrict: command.callerDistrict },
      );
    }
    await this.verifySignature(decoded);

    // The payload segment IS the canonical body (decodeEnvelope refuses any other form): hash its bytes
    // instead of canonicalising the body a second time on the hot path.
    const bodyDigest = sha256Digest(Buffer.from(decoded.raw.split('.')[1], 'base64url'));
    try {
      return await this.acceptNew(decoded, bodyDigest, receivedAt);
    } catch (error) {
      // The hot path does not look the message id up first (one round trip per message saved): a
      // repeated id surfaces here as whatever it tripped over (its own row, its case, its case's new
      // state, or a sentAt that has since left the window). If the id is known, the earlier message
      // decides: same body → the original receipt, other body → MESSAGE_ID_REUSED. This also answers
      // the loser of two concurrent submissions of one message through two gateways.
      if (error instanceof CaseError || error instanceof DuplicateMessageError) {
        const earlier = await this.store.findMessage(body.messageId);
        if (earlier) return this.replayOf(earlier, bodyDigest);
      }
      throw error;
    }
  }

  /** Everything after "this message id is new": validate, authorise, commit, sign the receipt. */
  private async acceptNew(decoded: DecodedEnvelope, bodyDigest: string, receivedAt: Date): Promise<AcceptMessageResult> {
    const { body } = decoded;
    // Internally only canonical codes exist: the sender's own codes are translated before the
    // contract is checked, so the schema (and every rule after it) sees canonical values.
    const canonicalPayload = this.toCanonicalCodes(decoded);
    const negotiated = this.checkContract(decoded, canonicalPayload);
    this.checkSentAt(body.sentAt, receivedAt);
    const forRecipient = this.payloadForRecipient(decoded, canonicalPayload, negotiated);
    // Every file the payload references must be uploaded already, with that digest and size.
    const materialDigests = await this.materialReferences.execute(body.payload, body.sender);

    const handler = this.catalogue.handlerFor(body.messageType);
    let caseLookup: Promise<CaseRecord | null> | undefined;
    const change = await handler.plan({
      body: canonicalPayload === body.payload ? body : { ...body, payload: canonicalPayload },
      // The case lives on the version its recipient works with.
      contract: { id: decoded.contract.id, version: negotiated.version },
      envelopeDigest: decoded.digest,
      // Only handlers that act on an existing case read it; opening a case relies on its unique keys.
      loadCase: () => (caseLookup ??= this.store.findCase(body.caseNumber)),
      at: receivedAt,
      alliance: this.policy.alliance,
      calendars: this.policy.calendars,
      store: this.store,
    });

    const receiptId = this.ids.next();
    const receipt = await this.signer.signReceipt({
      receiptId,
      messageId: body.messageId,
      envelopeDigest: decoded.digest,
      sender: body.sender,
      recipient: body.recipient,
      caseNumber: body.caseNumber,
      receivedAt: receivedAt.toISOString(),
      gateway: this.signer.gatewayId,
      status: 'ACCEPTED',
    });
    const message = acceptedMessage({
      messageId: body.messageId,
      caseNumber: body.caseNumber,
      collaborationId: body.collaborationId,
      sender: body.sender,
      recipient: body.recipient,
      messageType: body.messageType,
      contractId: decoded.contract.id,
      contractVersion: decoded.contract.version,
      envelope: decoded.raw,
      envelopeDigest: decoded.digest,
      bodyDigest,
      sentAt: new Date(body.sentAt),
      acceptedAt: receivedAt,
      receiptId,
      receipt,
      deliveredContractVersion: negotiated.version,
      conversion: forRecipient
        ? await this.signer.signConversion({
            messageId: body.messageId,
            envelopeDigest: decoded.digest,
            from: `${decoded.contract.id}@${decoded.contract.version}`,
            to: `${decoded.contract.id}@${negotiated.version}`,
            codes: forRecipient.codes,
            convertedAt: receivedAt.toISOString(),
            gateway: this.signer.gatewayId,
            payload: forRecipient.payload,
          })
        : null,
    });
    try {
      // The material links go in the same transaction: a refused message leaves no link behind.
      await this.store.commitAccepted(message, change, materialDigests);
    } catch (error) {
      if (error instanceof DuplicateCaseError) {
        throw new CaseError(
          CaseErrorCode.CASE_EXISTS,
          error.key === 'collaborationId'
            ? `Collaboration id ${body.collaborationId} already belongs to another case; every case needs its own.`
            : `Case ${body.caseNumber} was already submitted; use a new case number.`,
          { [error.key]: error.key === 'collaborationId' ? body.collaborationId : body.caseNumber },
        );
      }
      if (error instanceof CaseConflictError) {
        const current = await this.store.findCase(error.caseNumber);
        throw new CaseError(
          CaseErrorCode.ACTION_NOT_ALLOWED,
          `Case ${error.caseNumber} changed while this message was processed; it is now ${current?.state ?? 'unknown'}.`,
          { state: current?.state, allowedActions: current ? allowedActions(current, body.sender) : [] },
        );
      }
      throw error;
    }
    this.outbox.notify();
    return { messageId: body.messageId, messageType: body.messageType, receipt, duplicate: false };
  }

  private decode(envelope: string): DecodedEnvelope {
    try {
      return decodeEnvelope(envelope);
    } catch (error) {
      throw this.fromEnvelopeError(error);
    }
  }

  private async verifySignature(decoded: DecodedEnvelope): Promise<void> {
    try {
      await verifyEnvelope(decoded, this.keys);
    } catch (error) {
      throw this.fromEnvelopeError(error);
    }
  }

  private fromEnvelopeError(error: unknown): unknown {
    if (!(error instanceof EnvelopeError)) return error;
    return new CaseError(ENVELOPE_CODES[error.code], error.message, { ...(error.detail ?? {}) });
  }

  private replayOf(earlier: StoredMessage, bodyDigest: string): AcceptMessageResult {
    if (earlier.bodyDigest !== bodyDigest) {
      throw new CaseError(
        CaseErrorCode.MESSAGE_ID_REUSED,
        `Message id ${earlier.messageId} was already used for a different message; every message needs a new id.`,
        { messageId: earlier.messageId },
      );
    }
    return { messageId: earlier.messageId, messageType: earlier.messageType, receipt: earlier.receipt, duplicate: true };
  }

  private checkContract(decoded: DecodedEnvelope, payload: Record<string, unknown>): NegotiatedContract {
    const { body, contract } = decoded;
    const expected = CONTRACT_ID_BY_TYPE[body.messageType];
    if (contract.id !== expected) {
      throw new CaseError(
        CaseErrorCode.CONTRACT_TYPE_MISMATCH,
        `A ${body.messageType} message must declare contract ${expected}, not ${contract.id}.`,
        { expected },
      );
    }
    if (!this.contracts.has(contract.id, contract.version)) {
      throw new CaseError(
        CaseErrorCode.UNKNOWN_CONTRACT_VERSION,
        `Contract ${contract.id} has no version ${contract.version}; known versions: ${this.contracts.versions(contract.id).join(', ')}.`,
        { knownVersions: this.contracts.versions(contract.id) },
      );
    }
    const negotiated = negotiateContract(this.policy.alliance, contract.id, contract.version, body.sender, body.recipient);
    let violations;
    try {
      violations = this.contracts.validate(contract.id, contract.version, payload);
    } catch (error) {
      if (error instanceof ContractError) throw new CaseError(CaseErrorCode.UNKNOWN_CONTRACT, error.message);
      throw error;
    }
    if (violations.length > 0) {
      const first = violations[0];
      throw new CaseError(
        CaseErrorCode.SCHEMA_VIOLATION,
        `The payload breaks contract ${contract.id}@${contract.version}: /payload${first.pointer} ${first.message}` +
          (violations.length > 1 ? ` (and ${violations.length - 1} more)` : ''),
        { violations: violations.map((v) => ({ pointer: `/payload${v.pointer}`, message: v.message })) },
      );
    }
    return negotiated;
  }

  /** The payload in the recipient's version; a converter whose output breaks its target is the gateway's bug, refused plainly. */
  private convert(decoded: DecodedEnvelope, payload: Record<string, unknown>, negotiated: NegotiatedContract): Record<string, unknown> {
    const { id, version } = decoded.contract;
    let converted: Record<string, unknown>;
    try {
      converted = negotiated.converter!.convert(payload) as Record<string, unknown>;
    } catch (error) {
      if (!(error instanceof ContractConversionError)) throw error;
      // e.g. a one-character name cannot be split into family and given name: the sender must send the target version.
      throw new CaseError(
        CaseErrorCode.CONVERSION_FAILED,
        `The recipient accepts only ${id}@${negotiated.version} and this payload cannot be converted to it: ${error.message}. Send ${negotiated.version} directly.`,
        { violations: [{ pointer: `/payload${error.pointer}`, message: error.message }] },
      );
    }
    const violations = this.contracts.validate(id, negotiated.version, converted);
    if (violations.length > 0) {
      throw new CaseError(
        CaseErrorCode.CONVERSION_FAILED,
        `The gateway could not convert ${id}@${version} to ${negotiated.version} for the recipient: /payload${violations[0].pointer} ${violations[0].message}. Send ${negotiated.version} directly.`,
        { violations: violations.map((v) => ({ pointer: `/payload${v.pointer}`, message: v.message })) },
      );
    }
    return converted;
  }

  /** The payload with the sender's codes translated to canonical ones; the same object when it has none. */
  private toCanonicalCodes(decoded: DecodedEnvelope): Record<string, unknown> {
    const sender = this.policy.alliance.district(decoded.body.sender);
    const payload = decoded.body.payload;
    return (sender && payloadToCanonical(sender, decoded.contract.id, payload)) ?? payload;
  }

  /**
   * What the recipient gets besides the sender's envelope when it cannot read that payload as sent:
   * converted to its contract version and/or in its own codes. Undefined when the envelope suffices.
   */
  private payloadForRecipient(
    decoded: DecodedEnvelope,
    canonicalPayload: Record<string, unknown>,
    negotiated: NegotiatedContract,
  ): { payload: Record<string, unknown>; codes: { from: string; to: string } } | undefined {
    const { body, contract } = decoded;
    const recipient = this.policy.alliance.district(body.recipient)!; // negotiateContract checked it exists
    const versioned = negotiated.converter ? this.convert(decoded, canonicalPayload, negotiated) : canonicalPayload;
    const inRecipientCodes = payloadToPartner(recipient, contract.id, versioned);
    const senderMapped = canonicalPayload !== body.payload;
    if (!negotiated.converter && !senderMapped && !inRecipientCodes) return undefined;
    return {
      payload: inRecipientCodes ?? versioned,
      codes: { from: senderMapped ? body.sender : 'canonical', to: inRecipientCodes ? body.recipient : 'canonical' },
    };
  }

  private checkSentAt(sentAt: string, receivedAt: Date): void {
    const skewSeconds = (receivedAt.getTime() - Date.parse(sentAt)) / 1000;
    if (Number.isNaN(skewSeconds) || skewSeconds > this.policy.sentAtPastSeconds || -skewSeconds > this.policy.sentAtFutureSeconds) {
      throw new CaseError(
        CaseErrorCode.SENT_AT_OUT_OF_WINDOW,
        `sentAt ${sentAt} is outside the accepted window (${this.policy.sentAtPastSeconds}s in the past to ${this.policy.sentAtFutureSeconds}s in the future of the gateway's clock ${receivedAt.toISOString()}). Check the sender's clock.`,
        { receivedAt: receivedAt.toISOString() },
      );
    }
  }
}

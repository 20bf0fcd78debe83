import { Injectable } from '@nestjs/common';
import { compareSemver } from '@tongban/contracts';
import { CONTRACT_ID_BY_TYPE, decodeEnvelope, EnvelopeBody, isMessageType, MessageType } from '@tongban/envelope';
import { AcceptMessageUseCase } from '../accept-message/accept-message.usecase';
import { CaseError, CaseErrorCode } from '../case-error';
import { payloadToPartner } from '../catalogue/partner-codes';
import { Clock, IdGenerator } from '../ports/clock.port';
import { ExchangePolicy } from '../ports/exchange-policy.port';
import { HandoffStore } from '../ports/handoff-store.port';
import type { StaffPrincipal } from '../staff/login.usecase';
import { StaffRole, StaffStore } from '../staff/staff.ports';
import { stepTemplate } from './step-template';

/**
 * Signs with a district's key for staff who work in the console instead of their own system; the
 * envelope is the district's, exactly as if its system had sent it.
 */
export abstract class DistrictSigner {
  /** False when this gateway holds no signing key for the district (it signs in its own system). */
  abstract canSign(district: string): boolean;
  abstract sign(district: string, body: EnvelopeBody, contract: { id: string; version: string }): Promise<string>;
}

/**
 * A step sent from the console: built into the district's signed envelope and put through the same
 * AcceptMessageUseCase as the partner API (same rules, same receipt, same ledger entries). The
 * approving district's steps need an approving officer; the collecting district's a desk clerk.
 */
@Injectable()
export class SendFromConsoleUseCase {
  constructor(
    private readonly accept: AcceptMessageUseCase,
    private readonly store: HandoffStore,
    private readonly staff: StaffStore,
    private readonly signer: DistrictSigner,
    private readonly policy: ExchangePolicy,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async execute(staff: StaffPrincipal, input: { caseNumber: string; messageType: string; payload: Record<string, unknown>; ip: string | null }) {
    const audit = (result: string) =>
      this.staff.audit({ at: this.clock.now(), username: staff.username, district: staff.district, action: `case.send ${input.messageType}`, target: input.caseNumber, result, ip: input.ip });
    try {
      const result = await this.send(staff, input);
      await audit('OK');
      return result;
    } catch (error) {
      await audit(error instanceof CaseError ? error.code : 'ERROR');
      throw error;
    }
  }

  /**
   * The form a step starts from: what the gateway knows for certain about the case, the district and
   * the staff member (see stepTemplate); what only the officer knows is left for them to enter.
   */
  async template(staff: StaffPrincipal, caseNumber: string, messageType: MessageType): Promise<Record<string, unknown>> {
    const record = await this.store.findCase(caseNumber);
    if (!record || (record.collectingDistrict !== staff.district && record.approvingDistrict !== staff.district)) {
      throw new CaseError(CaseErrorCode.NOT_A_PARTY, `Only the two districts of case ${caseNumber} may act on it.`);
    }
    const messages = await this.store.listCaseMessages(caseNumber);
    const payloadOf = (type: MessageType) => {
      const m = messages.filter((x) => x.messageType === type).pop();
      return m ? (decodeEnvelope(m.envelope).body.payload as Record<string, unknown>) : null;
    };
    const submission = messages.find((m) => m.messageType === MessageType.CASE_SUBMISSION);
    const { alliance, calendars } = this.policy;
    const item = alliance.findAgreement(record.collectingDistrict, record.approvingDistrict, record.itemCode)?.item;
    const now = this.clock.now();
    const due = (limit: Parameters<ReturnType<typeof calendars.forDistrict>['addLimit']>[1] | undefined) => {
      try {
        return limit ? calendars.forDistrict(record.approvingDistrict).addLimit(now, limit) : null;
      } catch {
        return null; // no calendar that far ahead yet: the officer enters the date
      }
    };
    return stepTemplate(messageType, {
      now,
      officer: staff.displayName,
      district: alliance.district(staff.district)!,
      state: record.state,
      item,
      promisedDueAt: due(item?.promisedLimit),
      statutoryDueAt: due(item?.statutoryLimit),
      submission: payloadOf(MessageType.CASE_SUBMISSION),
      supplementRequest: payloadOf(MessageType.SUPPLEMENT_REQUEST),
      submissionRef: submission ? { messageId: submission.messageId, envelopeDigest: submission.envelopeDigest } : null,
    });
  }

  private async send(staff: StaffPrincipal, input: { caseNumber: string; messageType: string; payload: Record<string, unknown> }) {
    if (!isMessageType(input.messageType) || input.messageType === MessageType.CASE_SUBMISSION) {
      throw new CaseError(CaseErrorCode.ACTION_NOT_ALLOWED, `${input.messageType} is not a step the console sends on an existing case.`);
    }
    const record = await this.store.findCase(input.caseNumber);
    if (!record || (record.collectingDistrict !== staff.district && record.approvingDistrict !== staff.district)) {
      throw new CaseError(CaseErrorCode.NOT_A_PARTY, `Only the two districts of case ${input.caseNumber} may act on it.`);
    }
    const approving = record.approvingDistrict === staff.district;
    const role = approving ? StaffRole.APPROVING_OFFICER : StaffRole.DESK_CLERK;
    if (!staff.roles.includes(role)) {
      throw new CaseError(CaseErrorCode.ROLE_REQUIRED, `Steps of the ${approving ? 'approving' : 'collecting'} district need the ${role} role.`, { requiredRole: role });
    }
    return this.signAndAccept(staff.district, {
      caseNumber: record.caseNumber,
      collaborationId: record.collaborationId,
      recipient: approving ? record.collectingDistrict : record.approvingDistrict,
      messageType: input.messageType,
      payload: input.payload,
    });
  }

  /** The newest version of a contract the sending district declares; the gateway converts for the recipient if needed. */
  contractVersion(district: string, messageType: MessageType): string {
    const contractId = CONTRACT_ID_BY_TYPE[messageType];
    return [...(this.policy.alliance.district(district)?.acceptsContracts[contractId] ?? ['1.0.0'])].sort(compareSemver).pop()!;
  }

  /**
   * Builds the district's envelope around a canonical payload, signs it with the district's key and
   * accepts it exactly as if the district's system had sent it. Shared by steps and collection (收件).
   */
  async signAndAccept(
    district: string,
    fields: { caseNumber: string; collaborationId: string; recipient: string; messageType: MessageType; payload: Record<string, unknown> },
  ) {
    if (!this.signer.canSign(district)) {
      throw new CaseError(CaseErrorCode.ACTION_NOT_ALLOWED, `${district} signs its messages in its own system; this gateway holds no key for it.`);
    }
    const contractId = CONTRACT_ID_BY_TYPE[fields.messageType];
    const body: EnvelopeBody = {
      messageId: this.ids.next(),
      caseNumber: fields.caseNumber,
      collaborationId: fields.collaborationId,
      sender: district,
      recipient: fields.recipient,
      messageType: fields.messageType,
      sentAt: this.clock.now().toISOString(),
      // Staff enter canonical values; a district whose system speaks its own codes signs those.
      payload: payloadToPartner(this.policy.alliance.district(district)!, contractId, fields.payload) ?? fields.payload,
    };
    const envelope = await this.signer.sign(district, body, { id: contractId, version: this.contractVersion(district, fields.messageType) });
    return this.accept.execute({ envelope, callerDistrict: district, sizeBytes: Buffer.byteLength(envelope) });
  }
}

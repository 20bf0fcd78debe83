import { Injectable } from '@nestjs/common';
import { isValidResidentId, isValidUscc, type ServiceItem } from '@tongban/config';
import { ContractRegistry } from '@tongban/contracts';
import { CONTRACT_ID_BY_TYPE, MessageType } from '@tongban/envelope';
import { createHash, randomInt } from 'node:crypto';
import { CaseError, CaseErrorCode } from '../case-error';
import { Clock, IdGenerator } from '../ports/clock.port';
import { ExchangePolicy } from '../ports/exchange-policy.port';
import { MaterialsStore } from '../ports/materials.port';
import type { StaffPrincipal } from '../staff/login.usecase';
import { StaffRole, StaffStore } from '../staff/staff.ports';
import { localDate } from './dashboard.figures';
import { SendFromConsoleUseCase } from './send-from-console.usecase';

/** GB/T 2261-style ID type codes the window checks itself; other types pass through as typed. */
export const RESIDENT_ID_TYPE = '111';
export const USCC_ID_TYPE = '001';

export type MaterialForm = 'ORIGINAL' | 'COPY' | 'ELECTRONIC' | 'E_CERTIFICATE';

export interface IntakeApplicant {
  kind: 'NATURAL_PERSON' | 'LEGAL_PERSON';
  familyName?: string;
  givenName?: string;
  organizationName?: string;
  legalRepresentative?: { name: string; idType?: string; idNumber?: string };
  idType: string;
  idNumber: string;
  mobile?: string;
}

export interface CollectCaseCommand {
  partner: string;
  /** The item's implementation or basic code, as the catalogue lists it. */
  itemCode: string;
  caseType?: '1' | '2' | '9';
  applicant: IntakeApplicant;
  /** The result goes by courier to this address. */
  mailing?: { address: string; postcode: string };
  /** Materials received at the window, by the checklist's codes. */
  materials: Array<{ code: string; form: MaterialForm; count: number; file?: { digest: string; size: number; mediaType: string; name: string } }>;
  /** Paper originals mailed to the approving district. */
  originalsMailed?: { waybillNumber: string; carrier: string };
  hallName?: string;
  ip: string | null;
}

/** One reason the window cannot send the case yet, by form field, so the console can point at it. */
export interface IntakeProblem {
  field: string;
  message: string;
}

/**
 * 收件 at the window: the clerk checks the application against the partner's checklist and the
 * applicant's ID, the gateway numbers the case, issues the query password (only its digest travels)
 * and sends the submission as the district, through the same acceptance as the partner API. Returns
 * what the intake receipt (收件凭证) prints.
 */
@Injectable()
export class CollectCaseUseCase {
  constructor(
    private readonly sender: SendFromConsoleUseCase,
    private readonly staff: StaffStore,
    private readonly materials: MaterialsStore,
    private readonly policy: ExchangePolicy,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly contracts: ContractRegistry,
  ) {}

  async execute(staff: StaffPrincipal, command: CollectCaseCommand) {
    let target = `${command.partner}/${command.itemCode}`;
    const audit = (result: string) =>
      this.staff.audit({ at: this.clock.now(), username: staff.username, district: staff.district, action: 'case.collect', target, result, ip: command.ip });
    try {
      const result = await this.collect(staff, command);
      target = result.caseNumber;
      await audit('OK');
      return result;
    } catch (error) {
      await audit(error instanceof CaseError ? error.code : 'ERROR');
      throw error;
    }
  }

  private async collect(staff: StaffPrincipal, command: CollectCaseCommand) {
    if (!staff.roles.includes(StaffRole.DESK_CLERK)) {
      throw new CaseError(CaseErrorCode.ROLE_REQUIRED, `Collecting a case needs the ${StaffRole.DESK_CLERK} role.`, { requiredRole: StaffRole.DESK_CLERK });
    }
    const match = this.policy.alliance.findAgreement(staff.district, command.partner, command.itemCode);
    if (!match) {
      throw new CaseError(CaseErrorCode.NOT_IN_AGREEMENT, `No agreement lets ${staff.district} collect ${command.itemCode} for ${command.partner}.`);
    }
    const { item, agreement } = match;
    const now = this.clock.now();
    const day = localDate(now).replace(/-/g, '');
    const version = this.sender.contractVersion(staff.district, MessageType.CASE_SUBMISSION);
    const at = now.toISOString();
    const hallName = command.hallName ?? `${this.policy.alliance.district(staff.district)?.name ?? staff.district}跨域通办窗口`;
    const payloadFor = (intakeReceipt: Record<string, unknown>): Record<string, unknown> => ({
      item: { basicCode: item.basicCode, implementationCode: item.implementationCode, name: item.name },
      caseType: command.caseType ?? '2',
      mode: agreement.mode,
      applicant: applicantFor(version, command.applicant),
      ...(command.mailing ? { mailing: command.mailing } : {}),
      source: 'WINDOW',
      appliedAt: at,
      collectedBy: { officer: staff.displayName, hallName, collectedAt: at },
      intakeReceipt,
      materials: command.materials.map((m) => {
        const name = item.materials.find((l) => l.code === m.code)?.name ?? m.code;
        return { code: m.code, name, form: m.form, count: m.count, receivedAt: at, ...(m.file ? { file: m.file } : {}) };
      }),
      ...(command.originalsMailed ? { originalsMailed: command.originalsMailed } : {}),
    });

    // The window's own checks (check digits, the partner's checklist), then the contract itself on the
    // payload as it will be sent, all before a case number is used up: every problem at once, by field.
    const problems = [...checkApplicant(command.applicant), ...checkMaterials(item, command), ...checkMailing(item, command)];
    for (const m of command.materials) {
      if (m.file && !(await this.materials.find(m.file.digest))) {
        problems.push({ field: `materials.${m.code}.file`, message: `The scan of ${m.code} is not on the gateway; upload it again.` });
      }
    }
    const draft = payloadFor({ number: `${staff.district}-${day}-000000`, queryPasswordDigest: `sha256:${'0'.repeat(64)}` });
    for (const v of this.contracts.validate(CONTRACT_ID_BY_TYPE[MessageType.CASE_SUBMISSION], version, draft)) {
      problems.push({ field: fieldOf(v.pointer, command), message: v.message });
    }
    if (problems.length > 0) {
      throw new CaseError(CaseErrorCode.INTAKE_INVALID, `The application is not complete: ${problems.map((p) => p.message).join(' ')}`, { problems });
    }

    const serial = await this.staff.nextIntakeSerial(staff.district, day);
    const caseNumber = `${staff.district}-${day}-${String(serial).padStart(6, '0')}`;
    // Six digits the applicant keeps to follow the case; only its digest leaves this gateway.
    const queryPassword = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const payload = payloadFor({ number: caseNumber, queryPasswordDigest: `sha256:${createHash('sha256').update(`${caseNumber}:${queryPassword}`).digest('hex')}` });
    const accepted = await this.sender.signAndAccept(staff.district, {
      caseNumber,
      collaborationId: this.ids.next(),
      recipient: command.partner,
      messageType: MessageType.CASE_SUBMISSION,
      payload,
    });

    // The expected date printed on the receipt: the promised limit in the approving district's
    // calendar, counted from today (the clock really starts at acceptance, so it is an estimate).
    let expectedBy: string | null = null;
    try {
      expectedBy = this.policy.calendars.forDistrict(command.partner).addLimit(now, item.promisedLimit).toISOString();
    } catch {
      expectedBy = null; // no calendar for that year yet: the receipt says so instead of guessing
    }
    const partner = this.policy.alliance.district(command.partner)!;
    const received = new Set(command.materials.map((m) => m.code));
    return {
      caseNumber,
      queryPassword,
      messageId: accepted.messageId,
      receipt: accepted.receipt,
      intake: {
        caseNumber,
        collectedAt: at,
        hallName,
        officer: staff.displayName,
        district: { id: staff.district, name: this.policy.alliance.district(staff.district)?.name ?? staff.district },
        partner: { id: partner.id, name: partner.name, nameEn: partner.nameEn },
        item: { code: item.implementationCode, name: item.name, nameEn: item.nameEn, promisedLimit: item.promisedLimit },
        materials: command.materials.map((m) => ({ code: m.code, name: item.materials.find((l) => l.code === m.code)!.name, form: m.form, count: m.count, scanned: Boolean(m.file) })),
        // 容缺: tolerable items not brought today, which the applicant still owes.
        owed: item.materials.filter((l) => l.mandatory && l.tolerable && !received.has(l.code)).map((l) => ({ code: l.code, name: l.name })),
        originalsMailed: command.originalsMailed ?? null,
        resultByMail: Boolean(command.mailing),
        expectedBy,
      },
    };
  }
}

/** The check digits (GB 11643, GB 32100), which the contract's patterns cannot verify. */
function checkApplicant(a: IntakeApplicant): IntakeProblem[] {
  const id = a.idNumber.trim().toUpperCase();
  if (a.idType === RESIDENT_ID_TYPE && !isValidResidentId(id)) {
    return [{ field: 'applicant.idNumber', message: 'The resident ID number fails its GB 11643 check digit; check it against the card.' }];
  }
  if (a.idType === USCC_ID_TYPE && !isValidUscc(id)) {
    return [{ field: 'applicant.idNumber', message: 'The unified social credit code fails its GB 32100 check character; check it against the licence.' }];
  }
  return [];
}

/** The partner's checklist: every mandatory item is there unless it is tolerable (容缺); nothing unlisted. */
function checkMaterials(item: ServiceItem, command: CollectCaseCommand): IntakeProblem[] {
  const problems: IntakeProblem[] = [];
  const given = new Map(command.materials.map((m) => [m.code, m]));
  if (given.size !== command.materials.length) problems.push({ field: 'materials', message: 'A material is listed twice.' });
  for (const m of command.materials) {
    const listed = item.materials.find((l) => l.code === m.code);
    if (!listed) problems.push({ field: `materials.${m.code}`, message: `${m.code} is not on the checklist of ${item.name}.` });
    else if (m.form === 'ELECTRONIC' && !m.file) problems.push({ field: `materials.${m.code}.file`, message: `${listed.name}: an electronic material needs its scan uploaded.` });
  }
  for (const listed of item.materials) {
    if (listed.mandatory && !listed.tolerable && !given.has(listed.code)) {
      problems.push({ field: `materials.${listed.code}`, message: `${listed.name} is mandatory for ${item.name}.` });
    }
  }
  if (command.materials.length === 0) problems.push({ field: 'materials', message: 'At least one material must be received.' });
  // Originals the approving side must examine travel by post: the waybill is part of the hand-off.
  const originalsToMail = item.materials.some((l) => l.originalRequired && given.get(l.code)?.form === 'ORIGINAL');
  if (originalsToMail && !command.originalsMailed) {
    problems.push({ field: 'originalsMailed.waybillNumber', message: 'Originals are kept for the partner: enter the waybill number they are mailed under.' });
  }
  return problems;
}

/** Courier delivery is the item's to allow (the address and postcode themselves are the contract's). */
function checkMailing(item: ServiceItem, command: CollectCaseCommand): IntakeProblem[] {
  if (!command.mailing || item.supportsCourier) return [];
  return [{ field: 'mailing', message: `${item.name} cannot be delivered by courier; the result is collected at the window.` }];
}

/** A contract violation's JSON pointer as the window's field name; materials are named by their code. */
function fieldOf(pointer: string, command: CollectCaseCommand): string {
  const parts = pointer.split('/').slice(1);
  if (parts[0] === 'materials' && parts[1] !== undefined) {
    const code = command.materials[Number(parts[1])]?.code;
    if (code) return ['materials', code, ...parts.slice(2)].join('.');
  }
  return parts.join('.') || 'application';
}

/** The applicant in the version the district sends: 2.0.0 splits the name, 1.0.0 has one name. */
function applicantFor(version: string, a: IntakeApplicant): Record<string, unknown> {
  const common = {
    kind: a.kind,
    idType: a.idType,
    idNumber: a.idNumber.trim().toUpperCase(),
    ...(a.mobile ? { mobile: a.mobile } : {}),
    ...(a.kind === 'LEGAL_PERSON' && a.legalRepresentative ? { legalRepresentative: a.legalRepresentative } : {}),
  };
  const v2 = Number(version.split('.')[0]) >= 2;
  // Blank names are left out, so the contract names the missing field.
  const given = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  const family = given(a.familyName);
  const first = given(a.givenName);
  const organization = given(a.organizationName);
  if (a.kind === 'LEGAL_PERSON') return v2 ? { ...common, ...(organization ? { organizationName: organization } : {}) } : { ...common, ...(organization ? { name: organization } : {}) };
  if (v2) return { ...common, ...(family ? { familyName: family } : {}), ...(first ? { givenName: first } : {}) };
  return { ...common, ...(family || first ? { name: `${family ?? ''}${first ?? ''}` } : {}) };
}

import type { ContractRef } from '../../catalogue';
import type { MessageKind, MessageValidation, MessageViolation } from '../../validate';

export interface LocatedViolation extends MessageViolation {
  /** 1-based line and column of the offending value in the file (or of its nearest existing parent); absent for a JWS. */
  line?: number;
  column?: number;
}

/** The outcome for one input file: validated, or not validated because of a tool/usage error. */
export interface FileReport {
  /** As given, relative to the working directory, with `/` separators; `<stdin>` for `-`. */
  file: string;
  kind?: MessageKind;
  contract: ContractRef | null;
  versionSource?: MessageValidation['versionSource'];
  valid: boolean;
  violations: LocatedViolation[];
  /** Set when the file could not be validated at all (unreadable, unknown contract, …): exit code 2. */
  error?: string;
}

export interface ValidationRun {
  files: FileReport[];
  durationMs: number;
  toolVersion: string;
  /** Working directory, for absolute URIs (SARIF). */
  cwd: string;
}

export function formatContract(contract: ContractRef | null): string {
  return contract ? `${contract.id}@${contract.version}` : 'unknown contract';
}

export function summary(run: ValidationRun): { total: number; valid: number; invalid: number; errors: number } {
  const errors = run.files.filter((f) => f.error !== undefined).length;
  const valid = run.files.filter((f) => f.valid).length;
  return { total: run.files.length, valid, invalid: run.files.length - valid - errors, errors };
}

/** Where a violation is, for a person: `/applicant/idNumber`, `envelope /sentAt`, `header /ctr`. */
export function where(v: MessageViolation): string {
  const pointer = v.pointer === '' ? '/' : v.pointer;
  return v.target === 'payload' ? pointer : v.target === 'document' ? '(message)' : `${v.target} ${pointer}`;
}

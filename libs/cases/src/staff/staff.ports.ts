/** Roles of desk-console staff (auditors have their own certificates, see the ledger). */
export enum StaffRole {
  DESK_CLERK = 'DESK_CLERK',
  APPROVING_OFFICER = 'APPROVING_OFFICER',
  SUPERVISOR = 'SUPERVISOR',
  ADMINISTRATOR = 'ADMINISTRATOR',
}

export interface StaffAccount {
  username: string;
  district: string;
  roles: StaffRole[];
  displayName: string;
  passwordHash: string;
  totpSecret: string;
  lastTotpStep: number | null;
  failedLogins: number;
  lockedUntil: Date | null;
  createdAt: Date;
}

export interface StaffSession {
  tokenHash: string;
  username: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
}

export interface StaffAuditRecord {
  at: Date;
  username: string;
  district: string | null;
  action: string;
  target: string;
  result: string;
  ip: string | null;
}

export abstract class StaffStore {
  abstract findAccount(username: string): Promise<StaffAccount | null>;
  /** False when the username is taken. */
  abstract createAccount(account: StaffAccount): Promise<boolean>;
  abstract countAccounts(): Promise<number>;
  /** Records a failed attempt; locks until `lockUntil` when given. Returns the new failure count. */
  abstract recordFailure(username: string, lockUntil: Date | null): Promise<number>;
  /** Success: failures reset, the TOTP step used is remembered (a code works once). */
  abstract recordSuccess(username: string, totpStep: number): Promise<void>;
  abstract createSession(session: StaffSession): Promise<void>;
  abstract findSession(tokenHash: string): Promise<StaffSession | null>;
  abstract touchSession(tokenHash: string, at: Date): Promise<void>;
  abstract deleteSession(tokenHash: string): Promise<void>;
  abstract audit(record: StaffAuditRecord): Promise<void>;
  /** The next intake serial of a district on a day (YYYYMMDD), from 1; never the same twice. */
  abstract nextIntakeSerial(district: string, day: string): Promise<number>;
}

/** A memory-hard password hash (scrypt in production). */
export abstract class PasswordHasher {
  abstract hash(password: string): Promise<string>;
  abstract verify(password: string, encoded: string): Promise<boolean>;
}

/** RFC 6238 TOTP: SHA-1, 6 digits, 30 s, one step of drift either way. */
export abstract class TotpService {
  abstract newSecret(): string;
  /** The time step the code belongs to, or null when it matches none in the window. */
  abstract verify(secret: string, code: string, at: Date): number | null;
  abstract uri(secret: string, account: string, issuer: string): string;
}

import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { Clock } from '../ports/clock.port';
import { PasswordHasher, StaffAccount, StaffRole, StaffStore, TotpService } from './staff.ports';

/** After this many failed logins in a row the account locks for LOCK_MINUTES. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
/** Sessions end after 8 hours (a working day) or 30 minutes without use, whichever comes first. */
export const SESSION_HOURS = 8;
export const SESSION_IDLE_MINUTES = 30;

export enum LoginFailure {
  /** Wrong user, password or code: deliberately not told apart. */
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  ACCOUNT_LOCKED = 'ACCOUNT_LOCKED',
}

export class LoginError extends Error {
  constructor(
    readonly code: LoginFailure,
    message: string,
    readonly lockedUntil?: Date,
  ) {
    super(message);
  }
}

export interface StaffPrincipal {
  username: string;
  district: string;
  roles: StaffRole[];
  displayName: string;
}

export interface LoginResult {
  /** The session token for the cookie; only its hash is stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
  staff: StaffPrincipal;
}

export const sessionTokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

// Verified against when the user does not exist, so that timing does not reveal which usernames do.
let decoyHash: Promise<string> | undefined;

/**
 * Two factors for every login (password + TOTP), lock-out after repeated failures, server-side
 * sessions with a CSRF token; every attempt is in the staff audit trail.
 */
@Injectable()
export class StaffLoginUseCase {
  constructor(
    private readonly store: StaffStore,
    private readonly passwords: PasswordHasher,
    private readonly totp: TotpService,
    private readonly clock: Clock,
  ) {}

  async login(input: { username: string; password: string; totp: string; ip: string | null }): Promise<LoginResult> {
    const now = this.clock.now();
    const account = await this.store.findAccount(input.username);
    const audit = (result: string) =>
      this.store.audit({ at: now, username: input.username, district: account?.district ?? null, action: 'login', target: input.username, result, ip: input.ip });
    if (account?.lockedUntil && account.lockedUntil > now) {
      await audit('LOCKED');
      throw new LoginError(LoginFailure.ACCOUNT_LOCKED, `The account is locked after ${MAX_FAILED_LOGINS} failed logins until ${account.lockedUntil.toISOString()}.`, account.lockedUntil);
    }
    decoyHash ??= this.passwords.hash('decoy password for unknown users');
    const passwordOk = await this.passwords.verify(input.password, account?.passwordHash ?? (await decoyHash));
    const step = account ? this.totp.verify(account.totpSecret, input.totp, now) : null;
    // A code is good once: a step at or before the last one used is a replay.
    const totpOk = step !== null && (account!.lastTotpStep === null || step > account!.lastTotpStep);
    if (!account || !passwordOk || !totpOk) {
      if (account) {
        const failures = account.failedLogins + 1;
        const lockUntil = failures >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null;
        await this.store.recordFailure(account.username, lockUntil);
      }
      await audit('FAILED');
      throw new LoginError(LoginFailure.INVALID_CREDENTIALS, 'Wrong user name, password or one-time code.');
    }
    await this.store.recordSuccess(account.username, step!);
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
    await this.store.createSession({ tokenHash: sessionTokenHash(token), username: account.username, csrfToken, createdAt: now, expiresAt, lastSeenAt: now });
    await audit('OK');
    return { token, csrfToken, expiresAt, staff: principalOf(account) };
  }

  /** The staff member behind a session token, or null when it is unknown, expired or idle too long. */
  async authenticate(token: string): Promise<{ staff: StaffPrincipal; csrfToken: string } | null> {
    const now = this.clock.now();
    const session = await this.store.findSession(sessionTokenHash(token));
    if (!session) return null;
    if (session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MINUTES * 60_000) {
      await this.store.deleteSession(session.tokenHash);
      return null;
    }
    const account = await this.store.findAccount(session.username);
    if (!account) return null;
    await this.store.touchSession(session.tokenHash, now);
    return { staff: principalOf(account), csrfToken: session.csrfToken };
  }

  async logout(token: string, staff: StaffPrincipal, ip: string | null): Promise<void> {
    await this.store.deleteSession(sessionTokenHash(token));
    await this.store.audit({ at: this.clock.now(), username: staff.username, district: staff.district, action: 'logout', target: staff.username, result: 'OK', ip });
  }
}

function principalOf(a: StaffAccount): StaffPrincipal {
  return { username: a.username, district: a.district, roles: a.roles, displayName: a.displayName };
}

import { StaffAccount, StaffAuditRecord, StaffRole, StaffSession, StaffStore } from '@tongban/cases';
import { DataSource } from 'typeorm';

type Row = Record<string, unknown>;
const UNIQUE_VIOLATION = '23505';

export class TypeOrmStaffStore extends StaffStore {
  constructor(private readonly db: DataSource) {
    super();
  }

  async findAccount(username: string): Promise<StaffAccount | null> {
    const rows: Row[] = await this.db.query(`SELECT * FROM staff_accounts WHERE username = $1`, [username]);
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      username: r.username as string,
      district: r.district as string,
      roles: parseRoles(r.roles),
      displayName: r.display_name as string,
      passwordHash: r.password_hash as string,
      totpSecret: r.totp_secret as string,
      lastTotpStep: r.last_totp_step === null ? null : Number(r.last_totp_step),
      failedLogins: Number(r.failed_logins),
      lockedUntil: (r.locked_until as Date | null) ?? null,
      createdAt: r.created_at as Date,
    };
  }

  async createAccount(a: StaffAccount): Promise<boolean> {
    try {
      await this.db.query(
        `INSERT INTO staff_accounts (username, district, roles, display_name, password_hash, totp_secret, created_at) VALUES ($1, $2, $3::text[], $4, $5, $6, $7)`,
        [a.username, a.district, a.roles, a.displayName, a.passwordHash, a.totpSecret, a.createdAt],
      );
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return false;
      throw error;
    }
  }

  async countAccounts(): Promise<number> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM staff_accounts`);
    return n;
  }

  async recordFailure(username: string, lockUntil: Date | null): Promise<number> {
    const rows: Row[] = await this.db.query(
      `UPDATE staff_accounts SET failed_logins = CASE WHEN $2::timestamptz IS NULL THEN failed_logins + 1 ELSE 0 END,
              locked_until = coalesce($2::timestamptz, locked_until)
       WHERE username = $1 RETURNING failed_logins`,
      [username, lockUntil],
    );
    return rows.length ? Number(rows[0].failed_logins) : 0;
  }

  async recordSuccess(username: string, totpStep: number): Promise<void> {
    await this.db.query(`UPDATE staff_accounts SET failed_logins = 0, locked_until = NULL, last_totp_step = $2 WHERE username = $1`, [username, totpStep]);
  }

  async createSession(s: StaffSession): Promise<void> {
    await this.db.query(
      `INSERT INTO staff_sessions (token_hash, username, csrf_token, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [s.tokenHash, s.username, s.csrfToken, s.createdAt, s.expiresAt, s.lastSeenAt],
    );
  }

  async findSession(tokenHash: string): Promise<StaffSession | null> {
    const rows: Row[] = await this.db.query(`SELECT * FROM staff_sessions WHERE token_hash = $1`, [tokenHash]);
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      tokenHash: r.token_hash as string,
      username: r.username as string,
      csrfToken: r.csrf_token as string,
      createdAt: r.created_at as Date,
      expiresAt: r.expires_at as Date,
      lastSeenAt: r.last_seen_at as Date,
    };
  }

  async touchSession(tokenHash: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE staff_sessions SET last_seen_at = $2 WHERE token_hash = $1`, [tokenHash, at]);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.query(`DELETE FROM staff_sessions WHERE token_hash = $1`, [tokenHash]);
  }

  async nextIntakeSerial(district: string, day: string): Promise<number> {
    const rows: Row[] = await this.db.query(
      `INSERT INTO intake_serials (district, day, last) VALUES ($1, $2, 1)
       ON CONFLICT (district, day) DO UPDATE SET last = intake_serials.last + 1 RETURNING last`,
      [district, day],
    );
    return Number(rows[0].last);
  }

  async audit(r: StaffAuditRecord): Promise<void> {
    await this.db.query(`INSERT INTO staff_audit (at, username, district, action, target, result, ip) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      r.at, r.username.slice(0, 200), r.district, r.action, r.target.slice(0, 500), r.result, r.ip,
    ]);
  }
}

/** pg returns text[] as an array; PGlite may return its literal form. */
function parseRoles(value: unknown): StaffRole[] {
  if (Array.isArray(value)) return value as StaffRole[];
  return String(value).replace(/^\{|\}$/g, '').split(',').filter(Boolean) as StaffRole[];
}

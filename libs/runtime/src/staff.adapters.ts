import { PasswordHasher, TotpService } from '@tongban/cases';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/**
 * scrypt (RFC 7914), memory-hard and built into Node: N = 2^15, r = 8 → 32 MiB and ~60 ms per
 * hash here, which makes offline guessing expensive without a native dependency (argon2 would need
 * an install script). Encoded as scrypt$N$r$p$salt$hash so parameters can be raised later.
 */
export class ScryptPasswordHasher extends PasswordHasher {
  constructor(private readonly params = { N: 2 ** 15, r: 8, p: 1 }) {
    super();
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const { N, r, p } = this.params;
    const key = await derive(password, salt, { N, r, p, maxmem: 128 * N * r * 2 });
    return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    const [scheme, n, r, p, salt, expected] = encoded.split('$');
    if (scheme !== 'scrypt' || !salt || !expected) return false;
    const N = Number(n);
    const key = await derive(password, Buffer.from(salt, 'base64url'), { N, r: Number(r), p: Number(p), maxmem: 128 * N * Number(r) * 2 });
    const want = Buffer.from(expected, 'base64url');
    return key.length === want.length && timingSafeEqual(key, want);
  }
}

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, 32, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** RFC 6238 with otpauth: what every authenticator app speaks. */
export class OtpauthTotpService extends TotpService {
  newSecret(): string {
    return new Secret({ size: 20 }).base32;
  }

  verify(secret: string, code: string, at: Date): number | null {
    if (!/^[0-9]{6}$/.test(code)) return null;
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    const delta = totp.validate({ token: code, timestamp: at.getTime(), window: 1 });
    return delta === null ? null : Math.floor(at.getTime() / 30_000) + delta;
  }

  uri(secret: string, account: string, issuer: string): string {
    return new TOTP({ secret: Secret.fromBase32(secret), label: account, issuer, digits: 6, period: 30, algorithm: 'SHA1' }).toString();
  }
}

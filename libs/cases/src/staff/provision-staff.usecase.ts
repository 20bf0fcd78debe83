import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Clock } from '../ports/clock.port';
import { ExchangePolicy } from '../ports/exchange-policy.port';
import { PasswordHasher, StaffRole, StaffStore, TotpService } from './staff.ports';

export interface ProvisionedAccount {
  username: string;
  district: string;
  password: string;
  /** otpauth:// URI of the TOTP secret, for an authenticator app (the CLI prints it as a QR code). */
  otpauthUri: string;
}

/**
 * First run on embedded defaults: one demo desk account per district, with a random password and TOTP
 * secret, returned once so the start command can print how to sign in. Never runs when accounts exist.
 */
@Injectable()
export class ProvisionDemoStaffUseCase {
  constructor(
    private readonly store: StaffStore,
    private readonly passwords: PasswordHasher,
    private readonly totp: TotpService,
    private readonly policy: ExchangePolicy,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<ProvisionedAccount[]> {
    if ((await this.store.countAccounts()) > 0) return [];
    const created: ProvisionedAccount[] = [];
    for (const district of this.policy.alliance.districts) {
      const username = `desk-${district.id.toLowerCase()}`;
      const password = randomBytes(12).toString('base64url');
      const totpSecret = this.totp.newSecret();
      const ok = await this.store.createAccount({
        username,
        district: district.id,
        // The demo lets one account try every screen of its district; real accounts get one role each.
        roles: [StaffRole.DESK_CLERK, StaffRole.APPROVING_OFFICER, StaffRole.SUPERVISOR],
        displayName: `${district.name} 窗口`,
        passwordHash: await this.passwords.hash(password),
        totpSecret,
        lastTotpStep: null,
        failedLogins: 0,
        lockedUntil: null,
        createdAt: this.clock.now(),
      });
      if (ok) created.push({ username, district: district.id, password, otpauthUri: this.totp.uri(totpSecret, username, 'Tongban 通办') });
    }
    return created;
  }
}

import { Injectable } from '@nestjs/common';
import { Clock } from '../ports/clock.port';
import { EvidenceKeys } from '../ports/ledger-signer.port';
import { LedgerStore } from '../ports/ledger-store.port';

/**
 * At start-up: when the configuration in force (alliance, keys, certificates) differs from the one
 * last recorded, record its digest — a CONFIG_LOADED ledger entry — so that a key or agreement change
 * is on the ledger like any other administrative action.
 */
@Injectable()
export class RecordConfigurationUseCase {
  constructor(
    private readonly ledger: LedgerStore,
    private readonly keys: EvidenceKeys,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<{ changed: boolean; digest: string }> {
    const digest = this.keys.configurationDigest();
    if ((await this.ledger.lastActionTarget('config.loaded')) === digest) return { changed: false, digest };
    await this.ledger.recordQuery(this.clock.now(), 'gateway', 'config.loaded', digest);
    return { changed: true, digest };
  }
}

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AdminActionEntity } from './entities/admin-action.entity';
import { CaseEntity } from './entities/case.entity';
import { DeliveryEntity } from './entities/delivery.entity';
import { MessageEntity } from './entities/message.entity';
import { OutboxEntity } from './entities/outbox.entity';
import { RejectionEntity } from './entities/rejection.entity';
import { HandoffBackbone1764072000000 } from './migrations/1764072000000-handoff-backbone';
import { ContractConversions1764075600000 } from './migrations/1764075600000-contract-conversions';
import { CaseLifecycle1764079200000 } from './migrations/1764079200000-case-lifecycle';
import { CaseDeadlines1764086400000 } from './migrations/1764086400000-case-deadlines';
import { DeadlineEvents1764090000000 } from './migrations/1764090000000-deadline-events';
import { ToleratedItems1764093600000 } from './migrations/1764093600000-tolerated-items';
import { Materials1764082800000 } from './migrations/1764082800000-materials';
import { ExchangeLedger1764097200000 } from './migrations/1764097200000-exchange-ledger';
import { StaffAccounts1764100800000 } from './migrations/1764100800000-staff-accounts';
import { DashboardFigures1764104400000 } from './migrations/1764104400000-dashboard-figures';
import { IntakeSerials1764108000000 } from './migrations/1764108000000-intake-serials';

export const ENTITIES = [CaseEntity, MessageEntity, OutboxEntity, DeliveryEntity, RejectionEntity, AdminActionEntity];
export const MIGRATIONS = [HandoffBackbone1764072000000, ContractConversions1764075600000, CaseLifecycle1764079200000, Materials1764082800000, CaseDeadlines1764086400000, DeadlineEvents1764090000000, ToleratedItems1764093600000, ExchangeLedger1764097200000, StaffAccounts1764100800000, DashboardFigures1764104400000, IntakeSerials1764108000000];

/** Any arbitrary constant: serialises migrations when several processes start at once. */
const MIGRATION_LOCK_KEY = 7_242_001;

export interface Database {
  dataSource: DataSource;
  kind: 'postgres' | 'embedded';
  /** For logs: where the data lives, without credentials. */
  description: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; without one, an embedded PGlite under `dataDir` is started. */
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  runMigrations?: boolean;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const dataSource = new DataSource({
      type: 'postgres',
      url: opts.databaseUrl,
      entities: ENTITIES,
      migrations: MIGRATIONS,
      synchronize: false,
      extra: { max: opts.poolSize ?? 20 },
    });
    await dataSource.initialize();
    if (opts.runMigrations !== false) await migrateWithLock(dataSource);
    const url = new URL(opts.databaseUrl);
    return {
      dataSource,
      kind: 'postgres',
      description: `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: () => dataSource.destroy(),
    };
  }
  return openEmbedded(opts);
}

/** Embedded PostgreSQL (PGlite, WASM) served over a loopback socket so TypeORM's pg driver talks to it unchanged. */
async function openEmbedded(opts: OpenDatabaseOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const dir = join(opts.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: dir });
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0 });
  await server.start();
  const address = (server as unknown as { server?: { address(): { port: number } } }).server?.address();
  const port = address?.port;
  if (!port) throw new Error('embedded PostgreSQL did not report its port');
  // PGlite is one session: a pool of one keeps transactions from interleaving on it.
  const dataSource = new DataSource({
    type: 'postgres',
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    extra: { max: 1 },
  });
  await dataSource.initialize();
  if (opts.runMigrations !== false) await dataSource.runMigrations({ transaction: 'all' });
  return {
    dataSource,
    kind: 'embedded',
    description: `embedded PostgreSQL (PGlite) in ${dir}`,
    close: async () => {
      await dataSource.destroy();
      await server.stop();
      await pglite.close();
    },
  };
}

async function migrateWithLock(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

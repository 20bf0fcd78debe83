/**
 * How fast the desk console's case lists answer with many cases (issue: "with 100,000 cases … under a
 * second"). Creates a fresh database, runs the migrations, writes N synthetic cases spread over the
 * demo districts and two years, then times the list queries the console makes (first page, a later
 * page by cursor, filtered by partner / state / overdue), each repeated, and prints the figures.
 *
 *   npm run console:bench [-- cases]        (default 100000; DATABASE_URL = an admin URL)
 */
import { openDatabase, TypeOrmHandoffStore } from '@tongban/persistence';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBenchDatabase } from './infra';

const CASES = Number(process.argv[2] ?? 100_000);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DISTRICTS = ['HZ-ZHONGKAI', '440303', '440304', '440306', '440309', '440106'];
const STATES = ['DISPATCHED', 'ACKNOWLEDGED', 'ACCEPTED', 'IN_REVIEW', 'APPROVED', 'DELIVERED', 'WITHDRAWN'];

async function main(): Promise<void> {
  const db = await createBenchDatabase(ADMIN_URL, `tongban_console_bench_${Date.now()}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'tongban-console-bench-'));
  const database = await openDatabase({ databaseUrl: db.url, dataDir, poolSize: 4 });
  try {
    const q = (sql: string, params: unknown[] = []) => database.dataSource.query(sql, params);
    let started = performance.now();
    await q(
      `INSERT INTO cases (case_number, collaboration_id, collecting_district, approving_district, agreement_id, item_code, item_name,
                          contract_version, state, created_at, updated_at, case_type, promised_due_at)
       SELECT 'BENCH-' || g, 'collab-' || g, ($1::text[])[1 + g % 2], ($1::text[])[3 + g % 4], 'A', 'ITEM-' || (g % 3), '无犯罪记录证明开具', '1.0.0',
              ($2::text[])[1 + g % 7], now() - (g || ' minutes')::interval, now(), '2', now() - ((g % 40) - 20 || ' days')::interval
       FROM generate_series(1, $3::int) AS g`,
      [DISTRICTS, STATES, CASES],
    );
    await q('ANALYZE cases');
    console.log(`wrote ${CASES} cases in ${Math.round(performance.now() - started)} ms`);

    const store = new TypeOrmHandoffStore(database.dataSource);
    const time = async (what: string, run: () => Promise<unknown[]>) => {
      const runs: number[] = [];
      let rows = 0;
      for (let i = 0; i < 20; i++) {
        started = performance.now();
        rows = (await run()).length;
        runs.push(performance.now() - started);
      }
      runs.sort((a, b) => a - b);
      console.log(`  ${what.padEnd(58)} ${rows} rows   median ${runs[10].toFixed(1)} ms   max ${runs[19].toFixed(1)} ms`);
    };
    console.log(`console case lists over ${CASES} cases (20 runs each):`);
    await time('outgoing, first page (50)', () => store.listCases({ district: 'HZ-ZHONGKAI', direction: 'outgoing', limit: 50 }));
    await time('outgoing, a page a month back (cursor)', () =>
      store.listCases({ district: 'HZ-ZHONGKAI', direction: 'outgoing', limit: 50, before: { createdAt: new Date(Date.now() - 30 * 86_400_000), caseNumber: 'BENCH-~' } }),
    );
    await time('incoming, first page, filtered by partner', () => store.listCases({ district: '440304', direction: 'incoming', partner: 'HZ-ZHONGKAI', limit: 50 }));
    await time('outgoing, filtered by state IN_REVIEW', () => store.listCases({ district: 'HZ-ZHONGKAI', direction: 'outgoing', state: 'IN_REVIEW', limit: 50 }));
    await time('outgoing, overdue only', () => store.listCases({ district: 'HZ-ZHONGKAI', direction: 'outgoing', overdueAt: new Date(), limit: 50 }));
    await time('outgoing, rare filter (partner and state, few matches)', () =>
      store.listCases({ district: 'HZ-ZHONGKAI', direction: 'outgoing', partner: '440106', state: 'WITHDRAWN', limit: 50 }),
    );
  } finally {
    await database.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});

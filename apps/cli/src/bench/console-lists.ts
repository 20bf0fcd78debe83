/**
 * How fast the desk console's case lists answer with many cases (issue: "with 100,000 cases … under a
 * second"). Creates a fresh database, runs the migrations, writes N synthetic cases spread over the
 * demo districts and two years, then times the list queries the console makes (first page, a later
 * page by cursor, filtered by partner / state / overdue), each repeated, and prints the figures.
 * Then the supervisor dashboard: the whole use case (both aggregates, the summaries and the
 * working-day arithmetic of its lists) for several districts and periods, median and max.
 *
 *   npm run console:bench [-- cases]        (default 100000; DATABASE_URL = an admin URL)
 */
import { loadCalendars } from '@tongban/calendar';
import { Clock, DashboardUseCase, ExchangePolicy, RatingUseCase, SATISFACTION_LEVELS, StaffRole, StaffStore } from '@tongban/cases';
import { loadConfig } from '@tongban/config';
import { openDatabase, TypeOrmDashboardStore, TypeOrmHandoffStore } from '@tongban/persistence';
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
    // The figures the lifecycle writes as cases move: accepted from ACCEPTED on, decided (in 0–4 working
    // days against 3 promised and 10 statutory) for APPROVED and DELIVERED, rated once delivered.
    await q(
      `UPDATE cases SET
         accepted_at = CASE WHEN state IN ('ACCEPTED', 'IN_REVIEW', 'APPROVED', 'DELIVERED') THEN created_at + interval '1 day' END,
         concluded_at = CASE WHEN state IN ('APPROVED', 'DELIVERED') THEN created_at + ((1 + ascii(right(case_number, 1)) % 5) || ' days')::interval END,
         working_days_used = CASE WHEN state IN ('APPROVED', 'DELIVERED') THEN ascii(right(case_number, 1)) % 5 END,
         promised_working_days = CASE WHEN state IN ('APPROVED', 'DELIVERED') THEN 3 END,
         statutory_working_days = CASE WHEN state IN ('APPROVED', 'DELIVERED') THEN 10 END,
         window_rating = CASE WHEN state = 'DELIVERED' THEN ($1::text[])[1 + ascii(right(case_number, 1)) % 5] END,
         handling_rating = CASE WHEN state = 'DELIVERED' AND ascii(right(case_number, 2)) % 3 = 0 THEN ($1::text[])[1 + ascii(right(case_number, 2)) % 5] END`,
      [SATISFACTION_LEVELS],
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

    await timeDashboard(database.dataSource);
  } finally {
    await database.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The dashboard use case as the console calls it, on the real alliance and calendars; the audit write is left out. */
async function timeDashboard(dataSource: ConstructorParameters<typeof TypeOrmDashboardStore>[0]): Promise<void> {
  const rootDir = process.cwd();
  const config = loadConfig({ rootDir, env: {} });
  const calendars = loadCalendars(join(rootDir, 'config', 'calendars'));
  const policy = { alliance: config.alliance, calendars, maxMessageBytes: 0, sentAtPastSeconds: 0, sentAtFutureSeconds: 0 } satisfies ExchangePolicy;
  const clock: Clock = { now: () => new Date() };
  const noAudit = { audit: async () => undefined } as unknown as StaffStore;
  const dashboard = new DashboardUseCase(new TypeOrmDashboardStore(dataSource), noAudit, policy, clock);
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const daysAgo = (n: number) => new Date(Date.now() + 8 * 3_600_000 - n * 86_400_000).toISOString().slice(0, 10);
  const periods: Array<[string, { from: string; to: string }]> = [
    ['this month', { from: `${today.slice(0, 8)}01`, to: today }],
    ['last 30 days', { from: daysAgo(29), to: today }],
    ['this year', { from: `${today.slice(0, 4)}-01-01`, to: today }],
    ['three years', { from: daysAgo(3 * 365), to: today }],
  ];
  // HZ-ZHONGKAI collects half of all cases; 440303 the other half; 440304 approves a quarter.
  const districts = ['HZ-ZHONGKAI', '440303', '440304'];
  const RUNS = 10;
  const all: number[] = [];
  console.log(`supervisor dashboard (GET /console/api/dashboard: use case, both aggregates) over ${CASES} cases (${RUNS} runs each):`);
  for (const district of districts) {
    const staff = { username: 'bench', district, roles: [StaffRole.SUPERVISOR], displayName: 'bench' };
    for (const [name, period] of periods) {
      const runs: number[] = [];
      let view: Awaited<ReturnType<DashboardUseCase['view']>> | undefined;
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        view = await dashboard.view(staff, period, null);
        runs.push(performance.now() - started);
      }
      runs.sort((a, b) => a - b);
      all.push(...runs);
      const cases = view!.totals.outgoing.total + view!.totals.incoming.total;
      console.log(
        `  ${district.padEnd(12)} ${name.padEnd(13)} ${String(cases).padStart(6)} cases, ${String(view!.overdue.count).padStart(5)} overdue   median ${runs[RUNS / 2].toFixed(1)} ms   max ${runs[RUNS - 1].toFixed(1)} ms`,
      );
    }
  }
  all.sort((a, b) => a - b);
  console.log(`  all ${all.length} dashboard runs: median ${all[Math.floor(all.length / 2)].toFixed(1)} ms   max ${all[all.length - 1].toFixed(1)} ms`);

  // 差评回访: the cases whose latest rating is bad (two partial-index scans), then each case's messages.
  // The synthetic cases carry ratings but no evaluation messages, so this times the reads, not the decoding.
  const rating = new RatingUseCase(undefined as never, new TypeOrmHandoffStore(dataSource), new TypeOrmDashboardStore(dataSource), policy, clock);
  console.log(`bad-rating follow-ups (GET /console/api/follow-ups, up to 200 cases) over ${CASES} cases (${RUNS} runs each):`);
  for (const district of districts) {
    const staff = { username: 'bench', district, roles: [StaffRole.SUPERVISOR], displayName: 'bench' };
    const bad = await new TypeOrmDashboardStore(dataSource).badlyRated(district, 200);
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      await rating.followUps(staff);
      runs.push(performance.now() - started);
    }
    runs.sort((a, b) => a - b);
    console.log(`  ${district.padEnd(12)} ${String(bad.length).padStart(4)} badly rated cases read   median ${runs[RUNS / 2].toFixed(1)} ms   max ${runs[RUNS - 1].toFixed(1)} ms`);
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});

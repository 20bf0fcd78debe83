import { openDatabase } from '@tongban/persistence';
import { Option } from 'commander';
import { Client } from 'pg';
import { round } from './latency';

/**
 * The exchange ledger in the bench (issue: "appending must not slow hand-offs"): the gateway phase
 * runs with the ledger triggers (the normal schema) and/or without them, on a fresh database each.
 */
export const LEDGER_MODES = ['compare', 'on', 'off'] as const;
export type LedgerMode = (typeof LEDGER_MODES)[number];
export type LedgerState = 'on' | 'off';

/** `--ledger <mode>` of `tongban bench`. */
export function ledgerOption(): Option {
  return new Option(
    '--ledger <mode>',
    'compare: run the gateway phase twice, ledger off then on (fresh database each, the same warm-up), and print both with the difference; ' +
      'on: the normal schema only; off: only with the ledger triggers on messages, cases, rejections, admin_actions and deadline_events dropped',
  )
    .choices([...LEDGER_MODES])
    .default('compare');
}

/**
 * Gateway phases in the order they run. Off first, then on: each phase gets its own database, broker
 * names, gateway and worker processes and the same warm-up, and the one that runs second (with the
 * bench's own load generator already warm) is the one under test, so the order cannot flatter it.
 */
export function ledgerPhases(mode: LedgerMode): LedgerState[] {
  return mode === 'compare' ? ['off', 'on'] : [mode];
}

/** The triggers that append an entry per event; `off` drops exactly these. */
export const LEDGER_EVENT_TRIGGERS: ReadonlyArray<readonly [trigger: string, table: string]> = [
  ['messages_ledger', 'messages'],
  ['cases_ledger', 'cases'],
  ['rejections_ledger', 'rejections'],
  ['admin_actions_ledger', 'admin_actions'],
  ['deadline_events_ledger', 'deadline_events'],
];

/**
 * Runs the migrations on the phase's fresh database (so the gateway finds them done), then for `off`
 * drops the event triggers, and checks that the schema is what the phase claims to measure.
 */
export async function prepareLedgerSchema(databaseUrl: string, dataDir: string, state: LedgerState): Promise<void> {
  // Two connections: one holds the migration lock while the other migrates.
  const database = await openDatabase({ databaseUrl, dataDir, poolSize: 2, runMigrations: true });
  await database.close();
  await withClient(databaseUrl, async (c) => {
    const present = await eventTriggers(c);
    const missing = LEDGER_EVENT_TRIGGERS.filter(([t]) => !present.includes(t)).map(([t]) => t);
    if (missing.length > 0) throw new Error(`the migrations did not create the ledger triggers ${missing.join(', ')}: nothing to compare`);
    if (state === 'on') return;
    for (const [trigger, table] of LEDGER_EVENT_TRIGGERS) await c.query(`DROP TRIGGER ${trigger} ON ${table}`);
    const left = await eventTriggers(c);
    if (left.length > 0) throw new Error(`ledger triggers still present after dropping them: ${left.join(', ')}`);
  });
}

export interface LedgerCount {
  entries: number;
  byKind: Record<string, number>;
}

/** Rows in ledger_entries, in total and by kind. */
export async function countLedgerEntries(databaseUrl: string): Promise<LedgerCount> {
  return withClient(databaseUrl, async (c) => {
    const { rows } = await c.query<{ kind: string; n: number }>('SELECT kind, count(*)::int AS n FROM ledger_entries GROUP BY kind ORDER BY count(*) DESC, kind');
    return { entries: rows.reduce((sum, r) => sum + r.n, 0), byKind: Object.fromEntries(rows.map((r) => [r.kind, r.n])) };
  });
}

/** Relative difference of `value` against `baseline` in percent, one decimal; null when undefined. */
export function percentChange(value: number | null | undefined, baseline: number | null | undefined): number | null {
  if (value == null || baseline == null || !Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return null;
  return round(((value - baseline) / baseline) * 100, 1);
}

export function formatPercent(p: number | null): string {
  return p === null ? 'n/a' : `${p > 0 ? '+' : ''}${p.toFixed(1)} %`;
}

async function eventTriggers(c: Client): Promise<string[]> {
  const { rows } = await c.query<{ tgname: string }>('SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname = ANY($1::text[]) ORDER BY tgname', [
    LEDGER_EVENT_TRIGGERS.map(([t]) => t),
  ]);
  return rows.map((r) => r.tgname);
}

async function withClient<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

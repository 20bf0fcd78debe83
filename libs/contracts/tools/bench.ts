/**
 * `npm run contracts:bench`: writes 10,000 message files into a temp folder (JWS envelopes and
 * envelope JSON of every contract, about a fifth of them invalid), runs the `tongban-contracts`
 * CLI on them once per report format as an integrator would (a new process, a quoted glob), and
 * prints the rate. Fails when validating takes 5 s or more, or when the CLI's counts are wrong.
 * Options: --files N (default 10000), --keep (leave the folder).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { listContracts } from '../src/catalogue';
import { canonicalJson } from '../src/envelope.decode';

const LIMIT_MS = 5000;
const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};
const count = Number(argValue('--files') ?? 10000);
const keep = process.argv.includes('--keep');
const cli = resolve(__dirname, '../src/cli/bin.js');

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** Ways to break a message, each one rule. */
const BREAKERS: Array<(body: Record<string, unknown>) => void> = [
  (body) => void delete (body.payload as Record<string, unknown>)[Object.keys(body.payload as object)[0]], // required property missing
  (body) => void ((body.payload as Record<string, unknown>).unexpected = true), // closed object
  (body) => void (body.messageId = 'not-a-uuid'), // envelope field
  (body) => void ((body.payload as Record<string, unknown>)[Object.keys(body.payload as object)[0]] = 42), // wrong type
];

function writeMessages(dir: string): { valid: number; invalid: number } {
  const sources = listContracts().flatMap((entry) =>
    entry.versions.flatMap((v) => v.examples.map((example) => ({ id: entry.id, version: v.version, messageType: entry.messageType, payload: example.payload }))),
  );
  // Envelope JSON carries no contract version, so the CLI reads it as the newest one: those files are
  // made from the newest version's examples; JWS files name their version in `ctr` and cover them all.
  const newest = new Map(listContracts().map((entry) => [entry.id, entry.versions[entry.versions.length - 1].version]));
  const newestSources = sources.filter((source) => newest.get(source.id) === source.version);
  let invalid = 0;
  for (let i = 0; i < count; i++) {
    const pool = i % 2 === 0 ? sources : newestSources;
    const source = pool[Math.floor(i / 2) % pool.length];
    const body: Record<string, unknown> = {
      messageId: randomUUID(),
      caseNumber: `BENCH-${i}`,
      collaborationId: `BENCH-COLLAB-${i}`,
      sender: 'HZ-ZHONGKAI',
      recipient: '440303',
      messageType: source.messageType,
      sentAt: '2026-11-25T09:30:00+08:00',
      payload: structuredClone(source.payload),
    };
    if (i % 5 === 4) {
      BREAKERS[(i / 5) % BREAKERS.length | 0](body);
      invalid++;
    }
    const name = String(i).padStart(5, '0');
    if (i % 2 === 0) {
      const header = { alg: 'ES256', ctr: `${source.id}@${source.version}`, kid: 'bench-key', typ: 'tongban-envelope+jws' };
      // Not verified offline: any signature bytes will do.
      writeFileSync(join(dir, `${name}.jws`), `${b64(JSON.stringify(header))}.${b64(canonicalJson(body))}.${randomBytes(64).toString('base64url')}\n`);
    } else {
      writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(body, null, 2)}\n`);
    }
  }
  return { valid: count - invalid, invalid };
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'tongban-contracts-bench-'));
  try {
    const started = performance.now();
    const expected = writeMessages(dir);
    console.log(`wrote ${count} messages (${expected.valid} valid, ${expected.invalid} invalid; half JWS, half envelope JSON) in ${Math.round(performance.now() - started)} ms to ${dir}`);
    let failed = false;
    for (const format of ['json', 'human', 'junit', 'sarif', 'github']) {
      const t0 = performance.now();
      const run = spawnSync(process.execPath, [cli, 'validate', '--format', format, join(dir, '*')], { encoding: 'utf8', maxBuffer: 1 << 30 });
      const ms = performance.now() - t0;
      let check = '';
      if (format === 'json') {
        const reports = JSON.parse(run.stdout) as Array<{ valid: boolean; error?: string }>;
        const valid = reports.filter((r) => r.valid).length;
        const errors = reports.filter((r) => r.error !== undefined).length;
        if (reports.length !== count || valid !== expected.valid || errors !== 0) {
          failed = true;
          check = `  WRONG COUNTS: ${reports.length} files, ${valid} valid, ${errors} errors`;
        }
      }
      const rate = Math.round(count / (ms / 1000));
      const over = ms >= LIMIT_MS;
      failed ||= over || run.status !== 1;
      console.log(
        `${format.padEnd(6)}  ${String(Math.round(ms)).padStart(5)} ms  ${String(rate).padStart(6)} messages/s  exit ${run.status}${over ? `  OVER ${LIMIT_MS} ms` : ''}${check}`,
      );
      if (run.status === 2) console.log(run.stderr);
    }
    if (failed) process.exitCode = 1;
  } finally {
    if (keep) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main();

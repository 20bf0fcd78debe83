import { ArchiveLedgerUseCase, Clock } from '@tongban/cases';
import { MessageType } from '@tongban/envelope';
import { demoCaseNumber, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { ROOT_DIR, Stack, createTestDatabase, eventually, startStack, uniquePrefix } from '../support/harness';

const CLI = join(ROOT_DIR, 'dist', 'apps', 'cli', 'src', 'main.js');

/** The exchange's clock, moved months ahead so that today's entries are past the online period. */
class MovableClock extends Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

/** Entries past the online period move to chained archive files before they leave the database. */
describe('ledger archives', () => {
  const clock = new MovableClock();
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };
  const query = (sql: string, params: unknown[] = []) => stack.runtime.database.dataSource.query(sql, params);

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('archive'), clock });
  });
  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  async function submitCase(): Promise<void> {
    const signed = await signedMessage(stack.signingKey('HZ-ZHONGKAI'), {
      caseNumber: demoCaseNumber('HZ-ZHONGKAI'),
      collaborationId: uuidv7(),
      sender: 'HZ-ZHONGKAI',
      recipient: '440303',
      messageType: MessageType.CASE_SUBMISSION,
      payload: demoSubmissionPayload(stack.config.alliance, 'HZ-ZHONGKAI', '440303'),
      sentAt: clock.now().toISOString(),
    });
    expect((await stack.client('HZ-ZHONGKAI').submit(signed.envelope)).status).toBe(202);
  }

  /** Waits until every entry is in a signed checkpoint. */
  async function checkpointed(): Promise<number> {
    return eventually(async () => {
      const [{ entries, leaves, size }] = await query(
        `SELECT (SELECT count(*)::int FROM ledger_entries) AS entries, (SELECT count(*)::int FROM ledger_leaves) AS leaves,
                (SELECT coalesce(max(tree_size), 0)::int FROM ledger_checkpoints) AS size`,
      );
      const [{ archived }] = await query(`SELECT coalesce(max(last_index) + 1, 0)::int AS archived FROM ledger_archives`);
      return entries + archived === leaves && size === leaves && size > 0 ? size : undefined;
    }, 15_000, 200);
  }

  it('archives what is older than 6 months into files that chain and rebuild the signed root; proofs and the self-check go on', async () => {
    const archive = stack.gateway.partnerApp.get(ArchiveLedgerUseCase);
    await submitCase();
    const firstSize = await checkpointed();
    expect(await archive.execute(6)).toEqual({ archived: 0 }); // nothing is 6 months old yet

    clock.offsetMs = 200 * 86_400_000; // ~6.5 months later
    const first = await archive.execute(6);
    expect(first).toMatchObject({ archived: firstSize, leaves: { first: 0, last: firstSize - 1 } });
    expect(await query(`SELECT count(*)::int AS n FROM ledger_entries WHERE id IN (SELECT entry_id FROM ledger_leaves WHERE leaf_index < $1)`, [firstSize])).toEqual([{ n: 0 }]);

    await submitCase(); // a new case, at the moved clock
    const secondSize = await checkpointed();
    clock.offsetMs += 200 * 86_400_000;
    const second = await archive.execute(6);
    expect(second).toMatchObject({ leaves: { first: firstSize, last: secondSize - 1 } });

    // The self-check still rebuilds the root: archived leaves count by their stored hashes.
    const check = await (await fetch(`${stack.gateway.opsUrl}/ledger/verify`)).json();
    expect(check).toMatchObject({ ok: true, treeSize: expect.any(Number) });

    // Offline, with nothing but the files: the chain verifies; a changed line does not.
    const dir = stack.config.ledger.archiveDir;
    const files = [first.file!, second.file!].map((f) => join(dir, f));
    expect(files.every((f) => existsSync(f))).toBe(true);
    execSync('npm run --silent build', { cwd: ROOT_DIR, stdio: 'inherit' });
    const verify = (...paths: string[]) => spawnSync(process.execPath, [CLI, 'ledger', 'verify-archive', ...paths], { cwd: ROOT_DIR, encoding: 'utf8' });
    expect(verify(...files)).toMatchObject({ status: 0, stdout: expect.stringContaining(`VERIFIED 2 archive file(s), ${secondSize} entries`) });
    expect(verify(files[1]).status).toBe(1); // the second alone lacks the first it chains to
    const tampered = join(dir, 'tampered.jsonl');
    const original = readFileSync(files[0], 'utf8');
    const changed = original.replace('"actor\\":\\"HZ-ZHONGKAI', '"actor\\":\\"440303');
    expect(changed).not.toBe(original);
    writeFileSync(tampered, changed);
    expect(verify(tampered)).toMatchObject({ status: 1, stdout: expect.stringContaining('do not rebuild the signed root') });
  });
});

import { ArchiveLedgerUseCase } from '@tongban/cases';
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MovableClock, ROOT_DIR, Stack, createTestDatabase, eventually, startStack, submitDemoCase, uniquePrefix } from '../support/harness';

const CLI = join(ROOT_DIR, 'dist', 'apps', 'cli', 'src', 'main.js');

/** Entries past the online period move to chained archive files before they leave the database. */
describe('ledger archives', () => {
  // Starts now; moved months ahead so that today's entries are past the online period.
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
    await submitDemoCase(stack, 'HZ-ZHONGKAI', '440303');
    const firstSize = await checkpointed();
    expect(await archive.execute(6)).toEqual({ archived: 0 }); // nothing is 6 months old yet

    clock.advance(200 * 86_400_000); // ~6.5 months later
    const first = await archive.execute(6);
    expect(first).toMatchObject({ archived: firstSize, leaves: { first: 0, last: firstSize - 1 } });
    expect(await query(`SELECT count(*)::int AS n FROM ledger_entries WHERE id IN (SELECT entry_id FROM ledger_leaves WHERE leaf_index < $1)`, [firstSize])).toEqual([{ n: 0 }]);

    await submitDemoCase(stack, 'HZ-ZHONGKAI', '440303'); // a new case, at the moved clock
    const secondSize = await checkpointed();
    clock.advance(200 * 86_400_000);
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

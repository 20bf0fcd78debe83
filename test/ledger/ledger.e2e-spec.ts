import { MessageType, sha256Digest } from '@tongban/envelope';
import {
  CHECKPOINT_KEY_OWNER,
  entryLeafHash,
  parseLedgerEntry,
  signCosignature,
  verifyBundle,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '@tongban/ledger';
import { demoCaseNumber, demoSubmissionPayload, signedMessage } from '@tongban/partner-client';
import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { ROOT_DIR, Stack, createTestDatabase, eventually, startStack, uniquePrefix } from '../support/harness';

const CLI = join(ROOT_DIR, 'dist', 'apps', 'cli', 'src', 'main.js');

const A = 'HZ-ZHONGKAI';
const B = '440303';

interface Checkpoint {
  treeSize: number;
  rootHash: string;
  jws: string;
  cosignatures: Array<{ district: string }>;
}
interface ProvenEntry {
  index: number | null;
  entry: { id: string; kind: string; digest?: string; receiptDigest?: string };
  leaf: string;
  inclusionProof: string[] | null;
}

/** The exchange ledger on PostgreSQL + RabbitMQ: entries with every event, checkpoints, proofs, audit, tamper evidence. */
describe('the exchange ledger', () => {
  let stack: Stack;
  let db: { url: string; drop(): Promise<void> };
  const caseNumber = demoCaseNumber(A);
  let submission: { messageId: string; envelope: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    stack = await startStack({ databaseUrl: db.url, amqpPrefix: uniquePrefix('ledger') });
    const signed = await signedMessage(stack.signingKey(A), {
      caseNumber,
      collaborationId: uuidv7(),
      sender: A,
      recipient: B,
      messageType: MessageType.CASE_SUBMISSION,
      payload: demoSubmissionPayload(stack.config.alliance, A, B),
    });
    expect((await stack.client(A).submit(signed.envelope)).status).toBe(202);
    submission = { messageId: signed.body.messageId, envelope: signed.envelope };
    // A refusal is an event too: the same message id again with another body.
    const reused = await signedMessage(stack.signingKey(A), { ...signed.body, payload: { ...signed.body.payload, caseType: '1' } });
    expect((await stack.client(A).submit(reused.envelope)).body).toMatchObject({ code: 'MESSAGE_ID_REUSED' });
    // B pulls and acknowledges: delivered and acknowledged are events.
    await eventually(async () => (await stack.client(B).pull()).body.items.find((i) => i.messageId === submission.messageId));
    await stack.client(B).ack([submission.messageId]);
    // B signs for the case (签收): a case state change.
    const signedFor = await signedMessage(stack.signingKey(B), {
      caseNumber,
      collaborationId: signed.body.collaborationId,
      sender: B,
      recipient: A,
      messageType: MessageType.CASE_ACKNOWLEDGEMENT,
      payload: {
        acknowledgedMessageId: submission.messageId,
        acknowledgedEnvelopeDigest: sha256Digest(submission.envelope),
        signedBy: { officer: 'approver-01' },
        signedAt: new Date().toISOString(),
      },
    });
    expect((await stack.client(B).submit(signedFor.envelope)).status).toBe(202);
  });
  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  const query = (sql: string, params: unknown[] = []) => stack.runtime.database.dataSource.query(sql, params);

  /** The district's evidence for the submission once every entry of it is in a signed checkpoint. */
  async function evidence(district: string) {
    return eventually(async () => {
      const body = (await stack.client(district).get(`/v1/ledger/messages/${submission.messageId}`)).body as unknown as { receipt: string; checkpoint: Checkpoint; entries: ProvenEntry[] };
      const kinds = body.entries.map((e) => e.entry.kind);
      const ready = ['MESSAGE_ACCEPTED', 'MESSAGE_DELIVERED', 'MESSAGE_ACKNOWLEDGED'].every((k) => kinds.includes(k)) && body.entries.every((e) => e.inclusionProof);
      return ready ? body : undefined;
    }, 15_000, 200);
  }

  it('records every event in the transaction that makes it, and proves each to a signed checkpoint', async () => {
    const rows: Array<{ kind: string }> = await query(`SELECT kind FROM ledger_entries ORDER BY id`);
    expect(await query(`SELECT from_state, to_state FROM ledger_entries WHERE kind = 'CASE_STATE_CHANGED' AND case_number = $1`, [caseNumber])).toEqual([
      { from_state: 'DISPATCHED', to_state: 'ACKNOWLEDGED' },
    ]);
    expect(rows.map((r) => r.kind)).toEqual(
      expect.arrayContaining(['CASE_STATE_CHANGED', 'MESSAGE_ACCEPTED', 'MESSAGE_REJECTED', 'MESSAGE_DELIVERED', 'MESSAGE_ACKNOWLEDGED']),
    );
    const mine = await evidence(A);
    const checkpointBody = await verifyCheckpoint(mine.checkpoint.jws, stack.runtime.keys, CHECKPOINT_KEY_OWNER);
    expect(checkpointBody).toMatchObject({ treeSize: mine.checkpoint.treeSize, rootHash: mine.checkpoint.rootHash, origin: stack.config.gatewayId });
    const accepted = mine.entries.find((e) => e.entry.kind === 'MESSAGE_ACCEPTED')!;
    // The entry binds the envelope and the receipt the district holds, by digest.
    expect(accepted.entry).toMatchObject({ digest: sha256Digest(submission.envelope), receiptDigest: sha256Digest(mine.receipt) });
    for (const e of mine.entries) {
      const leaf = entryLeafHash(parseLedgerEntry(e.leaf));
      const proof = e.inclusionProof!.map((h) => Buffer.from(h, 'hex'));
      expect(verifyInclusion(leaf, e.index!, mine.checkpoint.treeSize, proof, Buffer.from(mine.checkpoint.rootHash, 'hex'))).toBe(true);
    }
    // The rejection names the code, never the content.
    const [rejected] = await query(`SELECT actor, code, digest FROM ledger_entries WHERE kind = 'MESSAGE_REJECTED'`);
    expect(rejected).toMatchObject({ actor: A, code: 'MESSAGE_ID_REUSED', digest: expect.stringMatching(/^sha256:/) });
  });

  it('is append-only at the database level', async () => {
    await expect(query(`UPDATE ledger_entries SET actor = 'x'`)).rejects.toThrow(/append-only/);
    await expect(query(`DELETE FROM ledger_entries`)).rejects.toThrow(/append-only/);
    await expect(query(`TRUNCATE ledger_leaves`)).rejects.toThrow(/append-only/);
  });

  it('lets a district co-sign a checkpoint and anyone check that a later one extends it', async () => {
    const first = (await stack.client(A).get('/v1/ledger/checkpoints/latest')).body as unknown as Checkpoint;
    const body = await verifyCheckpoint(first.jws, stack.runtime.keys, CHECKPOINT_KEY_OWNER);
    const cosignature = await signCosignature({ checkpoint: body, cosigner: A, cosignedAt: new Date().toISOString() }, stack.signingKey(A));
    const cosigned = await stack.client(A).post(`/v1/ledger/checkpoints/${first.treeSize}/cosignatures`, { cosignature });
    expect(cosigned.status).toBe(201);
    expect((cosigned.body as unknown as Checkpoint).cosignatures.map((c) => c.district)).toEqual([A]);
    // B cannot co-sign in A's name.
    const forged = await stack.client(B).post(`/v1/ledger/checkpoints/${first.treeSize}/cosignatures`, { cosignature });
    expect(forged.body).toMatchObject({ code: 'COSIGNATURE_INVALID' });

    // The co-signature is itself an event; wait for the checkpoint that contains it.
    const later = await eventually(async () => {
      const c = (await stack.client(B).get('/v1/ledger/checkpoints/latest')).body as unknown as Checkpoint;
      return c.treeSize > first.treeSize ? c : undefined;
    }, 15_000, 200);
    const consistency = (await stack.client(B).get(`/v1/ledger/consistency?from=${first.treeSize}&to=${later.treeSize}`)).body as unknown as { proof: string[] };
    const proof = consistency.proof.map((h) => Buffer.from(h, 'hex'));
    expect(verifyConsistency(first.treeSize, later.treeSize, Buffer.from(first.rootHash, 'hex'), Buffer.from(later.rootHash, 'hex'), proof)).toBe(true);
  });

  it('gives auditors search, the case record and an evidence bundle that verifies offline; every query is an entry', async () => {
    await evidence(A);
    const auditor = stack.auditor();
    const search = await auditor.get(`/v1/audit/entries?caseNumber=${encodeURIComponent(caseNumber)}`);
    expect(search.status).toBe(200);
    expect((search.body as { entries: unknown[] }).entries.length).toBeGreaterThanOrEqual(4);
    const record = await auditor.get(`/v1/audit/cases/${encodeURIComponent(caseNumber)}`);
    expect((record.body as { messages: Array<{ envelope: string }> }).messages[0].envelope).toBe(submission.envelope);
    // Districts cannot use the audit API, and a Qingdao-only auditor does not see Huizhou's case.
    expect((await stack.client(A).get('/v1/audit/entries')).status).toBe(403);
    expect((await stack.auditor('auditor-qingdao').get(`/v1/audit/cases/${encodeURIComponent(caseNumber)}`)).status).toBe(404);

    const bundle = (await auditor.get(`/v1/audit/bundle?caseNumber=${encodeURIComponent(caseNumber)}`)).body;
    const verdict = await verifyBundle(bundle);
    expect(verdict).toMatchObject({ ok: true });
    const whole = await verifyBundle((await auditor.get('/v1/audit/bundle')).body);
    expect(whole).toMatchObject({ ok: true });

    const queries: Array<{ actor: string; detail: { action: string } }> = await query(`SELECT actor, detail FROM ledger_entries WHERE kind = 'AUDITOR_QUERY' ORDER BY id`);
    expect(queries.map((q) => `${q.actor} ${q.detail.action}`)).toEqual(
      expect.arrayContaining(['auditor:auditor audit.search', 'auditor:auditor audit.case', 'auditor:auditor audit.bundle', 'auditor:auditor-qingdao audit.case']),
    );
  });

  it('`tongban ledger verify` says so with its exit code: 0 verified, 1 failed (naming the entry), 2 unusable', async () => {
    await evidence(A);
    const bundle = (await stack.auditor().get(`/v1/audit/bundle?caseNumber=${encodeURIComponent(caseNumber)}`)).body as { entries: Array<{ index: number; leaf: string }> };
    const dir = mkdtempSync(join(tmpdir(), 'tongban-bundle-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(bundle));
    const tampered = structuredClone(bundle);
    tampered.entries[1].leaf = tampered.entries[1].leaf.replace('"v":1', '"v":1 ');
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
    writeFileSync(join(dir, 'garbage.json'), '{"format": "something else"}');
    execSync('npm run --silent build', { cwd: ROOT_DIR, stdio: 'inherit' });
    const verify = (file: string) => spawnSync(process.execPath, [CLI, 'ledger', 'verify', join(dir, file), '--no-progress'], { cwd: ROOT_DIR, encoding: 'utf8' });
    const ok = verify('good.json');
    expect({ status: ok.status, out: ok.stdout }).toMatchObject({ status: 0, out: expect.stringMatching(/^VERIFIED .*entries/) });
    const failed = verify('tampered.json');
    expect({ status: failed.status, out: failed.stdout }).toMatchObject({ status: 1, out: expect.stringContaining(`at entry ${bundle.entries[1].index}`) });
    const unusable = verify('garbage.json');
    expect({ status: unusable.status, err: unusable.stderr }).toMatchObject({ status: 2, err: expect.stringContaining('UNUSABLE') });
    expect(verify('missing.json').status).toBe(2);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('tampering behind the application’s back (superuser SQL) is detected and named', () => {
    const selfCheck = async () => {
      const response = await fetch(`${stack.gateway.opsUrl}/ledger/verify`);
      return { status: response.status, body: (await response.json()) as { ok: boolean; failure?: { code: string; entryId?: string; leafIndex?: number } } };
    };
    const bundleVerdict = async () => verifyBundle((await stack.auditor().get(`/v1/audit/bundle?caseNumber=${encodeURIComponent(caseNumber)}`)).body);

    it('starts clean', async () => {
      await evidence(A);
      const clean = await selfCheck();
      expect(clean).toMatchObject({ status: 200, body: { ok: true } });
      expect((clean.body as unknown as { envelopesChecked: number }).envelopesChecked).toBeGreaterThanOrEqual(1);
    });

    it('one byte of a stored envelope', async () => {
      const [{ envelope }] = await query(`SELECT envelope FROM messages WHERE message_id = $1`, [submission.messageId]);
      const flipped = `${envelope.slice(0, 40)}${envelope[40] === 'A' ? 'B' : 'A'}${envelope.slice(41)}`;
      await query(`UPDATE messages SET envelope = $2 WHERE message_id = $1`, [submission.messageId, flipped]);
      const [{ entry_id }] = await query(`SELECT entry_id FROM ledger_entries WHERE kind = 'MESSAGE_ACCEPTED' AND message_id = $1`, [submission.messageId]);
      expect(await selfCheck()).toMatchObject({ status: 409, body: { ok: false, failure: { code: 'ENVELOPE_DIGEST_MISMATCH', entryId: entry_id } } });
      expect(await bundleVerdict()).toMatchObject({ ok: false, failure: { code: 'ENVELOPE_DIGEST_MISMATCH', entryId: entry_id } });
      await query(`UPDATE messages SET envelope = $2 WHERE message_id = $1`, [submission.messageId, envelope]);
      expect((await selfCheck()).body.ok).toBe(true);
    });

    it('one ledger entry', async () => {
      const [target] = await query(`SELECT e.id, e.entry_id, e.code FROM ledger_entries e JOIN ledger_leaves l ON l.entry_id = e.id WHERE e.kind = 'MESSAGE_REJECTED'`);
      await query(`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only`);
      try {
        await query(`UPDATE ledger_entries SET code = 'CASE_EXISTS' WHERE id = $1`, [target.id]);
        expect(await selfCheck()).toMatchObject({ status: 409, body: { failure: { code: 'ENTRY_HASH_MISMATCH', entryId: target.entry_id } } });
        await query(`UPDATE ledger_entries SET code = $2 WHERE id = $1`, [target.id, target.code]);
      } finally {
        await query(`ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_append_only`);
      }
      expect((await selfCheck()).body.ok).toBe(true);
    });

    it('a deleted ledger row', async () => {
      const [target] = await query(`SELECT e.id, l.leaf_index FROM ledger_entries e JOIN ledger_leaves l ON l.entry_id = e.id WHERE e.kind = 'MESSAGE_DELIVERED'`);
      await query(`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only`);
      try {
        await query(`DELETE FROM ledger_entries WHERE id = $1`, [target.id]);
      } finally {
        await query(`ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_append_only`);
      }
      expect(await selfCheck()).toMatchObject({ status: 409, body: { failure: { code: 'ENTRY_MISSING', leafIndex: Number(target.leaf_index) } } });
    });
  });
});

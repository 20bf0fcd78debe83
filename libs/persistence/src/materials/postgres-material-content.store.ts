import { MaterialContentStore, StagedMaterial, digestHex } from '@tongban/cases';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';

/**
 * Bytes per row of material_chunks. A chunk crosses the driver as hex text (twice its size) plus a
 * Buffer; above ~128 KiB such objects go to V8's large-object space, which only a full GC frees, so
 * with 1 MiB chunks a 50 MiB round trip under CPU load peaked 55–72 MiB above baseline. At 32 KiB the
 * transients stay in the young generation that cheap scavenges clear; the cost is more (short) round
 * trips. Chunks written at any other size still read.
 */
export const MATERIAL_CHUNK_BYTES = 32 * 1024;

type Row = Record<string, unknown>;

/**
 * Material content in PostgreSQL, as bytea chunks (not large objects: those need a transaction held
 * open for the whole upload, and PGlite has no lo_* API). Each chunk is its own short statement as the
 * upload arrives; the staged object becomes a digest's content by one insert into material_contents.
 * Reading fetches one chunk at a time, as the response drains.
 */
export class PostgresMaterialContentStore extends MaterialContentStore {
  readonly kind = 'postgres' as const;

  constructor(private readonly db: DataSource) {
    super();
  }

  async stage(): Promise<StagedMaterial> {
    return new PostgresStagedMaterial(this.db, randomUUID());
  }

  async has(digest: string): Promise<boolean> {
    const rows: Row[] = await this.db.query(`SELECT 1 FROM material_contents WHERE sha256 = $1`, [digestHex(digest)]);
    return rows.length > 0;
  }

  async open(digest: string): Promise<Readable | null> {
    const rows: Row[] = await this.db.query(`SELECT object_id, chunks FROM material_contents WHERE sha256 = $1`, [digestHex(digest)]);
    if (rows.length === 0) return null;
    const objectId = rows[0].object_id as string;
    const count = Number(rows[0].chunks);
    const db = this.db;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let seq = 0; seq < count; seq++) {
        const found: Row[] = await db.query(`SELECT data FROM material_chunks WHERE object_id = $1 AND seq = $2`, [objectId, seq]);
        if (found.length === 0) throw new Error(`material ${digest}: chunk ${seq} of ${count} is missing`);
        yield found[0].data as Buffer;
      }
    }
    // One chunk read ahead at most: the next query runs only once the response has taken this one.
    return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
  }
}

class PostgresStagedMaterial implements StagedMaterial {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private seq = 0;
  private size = 0;

  constructor(
    private readonly db: DataSource,
    private readonly objectId: string,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.pendingBytes += chunk.byteLength;
    this.size += chunk.byteLength;
    if (this.pendingBytes >= MATERIAL_CHUNK_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.db.query(`INSERT INTO material_chunks (object_id, seq, data) VALUES ($1, $2, $3)`, [this.objectId, this.seq, data]);
    this.seq += 1;
  }

  async commit(digest: string): Promise<void> {
    await this.flush();
    const [{ n }] = await this.db.query(
      `WITH stored AS (
         INSERT INTO material_contents (sha256, object_id, size, chunks, stored_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (sha256) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM stored`,
      [digestHex(digest), this.objectId, this.size, this.seq],
    );
    // Those bytes were stored before: keep the first copy only.
    if (n === 0) await this.discard();
  }

  async discard(): Promise<void> {
    this.pending = [];
    this.pendingBytes = 0;
    await this.db.query(`DELETE FROM material_chunks WHERE object_id = $1`, [this.objectId]);
  }
}

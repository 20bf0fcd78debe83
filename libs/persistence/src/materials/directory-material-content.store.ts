import { MaterialContentStore, StagedMaterial, digestHex } from '@tongban/cases';
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { FileHandle, access, mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Material content as files under a directory: `<dir>/<hex[0:2]>/<hex>`. An upload is written to
 * `<dir>/.staging/<uuid>.part` (same file system, so the final rename is atomic), flushed to disk,
 * then renamed into place; content already there is not written twice.
 */
export class DirectoryMaterialContentStore extends MaterialContentStore {
  readonly kind = 'directory' as const;

  constructor(readonly dir: string) {
    super();
  }

  pathOf(digest: string): string {
    const hex = digestHex(digest);
    return join(this.dir, hex.slice(0, 2), hex);
  }

  async stage(): Promise<StagedMaterial> {
    const staging = join(this.dir, '.staging');
    await mkdir(staging, { recursive: true, mode: 0o750 });
    const path = join(staging, `${randomUUID()}.part`);
    return new DirectoryStagedMaterial(this, path, await open(path, 'wx', 0o640));
  }

  async has(digest: string): Promise<boolean> {
    return exists(this.pathOf(digest));
  }

  async open(digest: string): Promise<Readable | null> {
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(digest), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return handle.createReadStream({ highWaterMark: 64 * 1024, autoClose: true });
  }
}

class DirectoryStagedMaterial implements StagedMaterial {
  private closed = false;

  constructor(
    private readonly store: DirectoryMaterialContentStore,
    private readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const { bytesWritten } = await this.handle.write(chunk, offset, chunk.byteLength - offset);
      offset += bytesWritten;
    }
  }

  async commit(digest: string): Promise<void> {
    await this.handle.sync();
    await this.close();
    const target = this.store.pathOf(digest);
    if (await exists(target)) {
      await unlink(this.path);
      return;
    }
    await mkdir(join(target, '..'), { recursive: true, mode: 0o750 });
    // Two uploads of the same bytes may both get here: the second rename replaces identical content.
    await rename(this.path, target);
  }

  async discard(): Promise<void> {
    await this.close().catch(() => undefined);
    await unlink(this.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

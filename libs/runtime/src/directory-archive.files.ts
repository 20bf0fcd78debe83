import { ArchiveFiles } from '@tongban/cases';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

/** Archive files in a directory: created exclusively (never overwritten) and fsynced before returning. */
export class DirectoryArchiveFiles extends ArchiveFiles {
  constructor(private readonly dir: string) {
    super();
  }

  async write(name: string, lines: Iterable<string>): Promise<{ digest: string; path: string }> {
    mkdirSync(this.dir, { recursive: true });
    const path = join(this.dir, name);
    const file = await open(path, 'wx', 0o444);
    const hash = createHash('sha256');
    try {
      for (const line of lines) {
        const bytes = Buffer.from(`${line}\n`, 'utf8');
        hash.update(bytes);
        await file.write(bytes);
      }
      await file.sync();
    } finally {
      await file.close();
    }
    return { digest: `sha256:${hash.digest('hex')}`, path };
  }
}

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The fault suites run one at a time, even when jest runs their files in parallel workers: one of
 * them restarts the shared RabbitMQ (which would pull the broker from under the other), and each
 * runs four Node processes plus load on a 2-core machine, where two at once turn timing into noise.
 * mkdir is atomic; a lock whose owner process is gone is taken over.
 */
const LOCK_DIR = join(tmpdir(), 'tongban-fault-suites.lock');

function ownerAlive(): boolean {
  try {
    const pid = Number(readFileSync(join(LOCK_DIR, 'owner'), 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but is not ours to signal. A missing owner file counts as dead, after the grace below.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireSuiteLock(what: string, timeoutMs: number): Promise<{ waitedMs: number; release(): void }> {
  const started = Date.now();
  let staleSince: number | null = null;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'owner'), String(process.pid));
      writeFileSync(join(LOCK_DIR, 'what'), what);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        rmSync(LOCK_DIR, { recursive: true, force: true });
      };
      process.once('exit', release);
      return { waitedMs: Date.now() - started, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!ownerAlive()) {
      // Give a just-created lock a moment to get its owner file before calling it stale.
      staleSince ??= Date.now();
      if (Date.now() - staleSince > 1_000) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        staleSince = null;
        continue;
      }
    } else {
      staleSince = null;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`fault-suite lock ${LOCK_DIR} still held after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

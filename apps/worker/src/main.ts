import 'reflect-metadata';
import { loadConfig } from '@tongban/config';
import { createRuntime } from '@tongban/runtime';
import { bootstrapWorker } from './worker.bootstrap';

/** Production entry: one worker process (run several; the queues share the load). */
async function main(): Promise<void> {
  const config = loadConfig();
  const runtime = await createRuntime(config, { rootDir: process.cwd() });
  const worker = await bootstrapWorker(runtime);
  const shutdown = async () => {
    await worker.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error) => {
  console.error(JSON.stringify({ level: 'fatal', msg: (error as Error).message }));
  process.exit(1);
});

import { loadConfig } from '@tongban/config';
import { Runtime, createRuntime } from './runtime';

/**
 * The production entry of a gateway or worker process: validated config, the shared runtime, the app,
 * and a clean shutdown on SIGTERM/SIGINT. A start-up failure is one JSON log line and exit code 1.
 */
export function runProcess(start: (runtime: Runtime) => Promise<{ close(): Promise<void> }>): void {
  const main = async () => {
    const runtime = await createRuntime(loadConfig(), { rootDir: process.cwd() });
    const app = await start(runtime);
    const shutdown = async () => {
      await app.close();
      await runtime.close();
      process.exit(0);
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  };
  main().catch((error: unknown) => {
    console.error(JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg: (error as Error).message }));
    process.exit(1);
  });
}

import 'reflect-metadata';
import { loadConfig } from '@tongban/config';
import { createRuntime } from '@tongban/runtime';
import { bootstrapGateway } from './gateway.bootstrap';

/** Production entry: one gateway process (run several behind a load balancer). */
async function main(): Promise<void> {
  const config = loadConfig();
  const runtime = await createRuntime(config, { rootDir: process.cwd() });
  const gateway = await bootstrapGateway(runtime);
  const shutdown = async () => {
    await gateway.close();
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

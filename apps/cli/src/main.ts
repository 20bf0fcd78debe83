#!/usr/bin/env node
import 'reflect-metadata';
import { ConfigError, loadConfig } from '@tongban/config';
import { Command, CommanderError } from 'commander';
import { registerAsyncApiCommand } from './commands/asyncapi.command';
import { registerBenchCommand } from './commands/bench.command';
import { UsageError } from './commands/client';
import { registerDemoCommand } from './commands/demo.command';
import { registerHandoffCommands } from './commands/handoff.command';
import { registerLedgerCommand } from './commands/ledger.command';
import { registerOpenApiCommand } from './commands/openapi.command';
import { registerPkiCommand } from './commands/pki.command';
import { registerStartCommand } from './commands/start.command';

/** Exit codes: 0 success, 1 the operation failed, 2 usage or configuration error. */
const program = new Command('tongban')
  .description('Tongban 通办: cross-region case exchange gateway — run it, issue its PKI, try a hand-off, benchmark it')
  .showHelpAfterError()
  .exitOverride();

registerStartCommand(program);
registerPkiCommand(program, {
  loadDistricts: async () => loadConfig().alliance.districts.map((d) => ({ id: d.id, name: d.name, uscc: d.serviceCentreUscc })),
});
registerHandoffCommands(program);
registerDemoCommand(program);
registerLedgerCommand(program);
registerOpenApiCommand(program);
registerAsyncApiCommand(program);
registerBenchCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  if (error instanceof ConfigError || error instanceof UsageError) {
    console.error(`tongban: ${(error as Error).message}`);
    process.exit(2);
  }
  console.error(`tongban: ${(error as Error).stack ?? error}`);
  process.exit(1);
});

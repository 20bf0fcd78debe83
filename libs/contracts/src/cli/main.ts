import { Command, CommanderError } from 'commander';
import { ContractError } from '../contract.error';
import { registerDiffCommand } from './commands/diff.command';
import { registerExampleCommand } from './commands/example.command';
import { registerListCommand } from './commands/list.command';
import { registerValidateCommand } from './commands/validate.command';
import { CliExit, processIo, toolVersion, type CliIo } from './io';

/** Exit codes of every command: 0 success, 1 the check failed (invalid message, breaking change), 2 usage or tool error. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const;

export function buildProgram(io: CliIo): Command {
  const program = new Command('tongban-contracts')
    .description('Tongban (通办) message contracts: validate messages, print examples, list and diff contract versions. Works offline.')
    .version(toolVersion(), '-V, --version')
    // Settings first: subcommands inherit them when they are added.
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .showSuggestionAfterError()
    .helpCommand(true);
  registerValidateCommand(program, io);
  registerExampleCommand(program, io);
  registerListCommand(program, io);
  registerDiffCommand(program);
  return program;
}

/**
 * Runs the CLI on `argv` (without node and script) and resolves to its exit code; never calls
 * process.exit, so tests run it in-process with their own CliIo. A command ends with a code by
 * throwing CliExit or by setting process.exitCode.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const before = process.exitCode;
  process.exitCode = undefined;
  let code: number = EXIT.OK;
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    code = typeof process.exitCode === 'number' ? process.exitCode : Number(process.exitCode ?? 0) || 0;
  } catch (error) {
    if (error instanceof CliExit) {
      code = error.exitCode;
    } else if (error instanceof CommanderError) {
      // --help and --version end in a CommanderError with exit code 0; anything else is a usage error.
      code = error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    } else if (error instanceof ContractError) {
      io.stderr.write(`tongban-contracts: ${error.message}\n`);
      code = EXIT.USAGE;
    } else {
      io.stderr.write(`tongban-contracts: ${(error as Error).stack ?? String(error)}\n`);
      code = EXIT.USAGE;
    }
  } finally {
    process.exitCode = before;
  }
  return code;
}

import { Option, type Command } from 'commander';
import { COMPATIBILITY_MODES, CompatInputError, diffExitCode, formatDiffReport, isCompatibilityMode, runDiff, type DiffFormat } from '../../compat';

interface DiffCliOptions {
  mode?: string;
  baseline?: string;
  git?: string;
  format: string;
}

const FORMATS: readonly DiffFormat[] = ['human', 'json'];

/**
 * `tongban-contracts diff OLD NEW`: every change between two contract versions, classified as
 * breaking or not under a Confluent compatibility mode. Exit 0 when nothing breaks (or every break
 * is accepted by the baseline), 1 on a breaking change, 2 on a usage or input error. Thin: loading,
 * comparing and formatting live in src/compat.
 */
export function registerDiffCommand(program: Command): void {
  program
    .command('diff')
    .summary('classify every change between two contract versions as breaking or not')
    .description(
      [
        'Compare OLD with NEW and classify every change as breaking or not, as Confluent Schema Registry defines compatibility for JSON Schema. ' +
          'OLD and NEW are two schema files, two version folders (contracts/case-submission/1.0.0 contracts/case-submission/2.0.0), ' +
          'two contract folders, or two whole contracts/ folders (every contract is checked version by version). ' +
          "With --git REF, the working tree's contracts/ (or the folder given) is compared with the same folder at REF.",
        'Exit status: 0 no breaking change (or every break accepted by the baseline), 1 breaking change, 2 usage or input error.',
      ].join('\n\n'),
    )
    .argument('[old]', 'old schema file, version folder, contract folder or contracts folder')
    .argument('[new]', 'new one, of the same kind (with --git: the folder to compare, default contracts)')
    .addOption(new Option('--mode <mode>', "compatibility mode (default: the contract's contract.json, else BACKWARD)").choices(COMPATIBILITY_MODES))
    .option('--baseline <file>', 'accepted known breaks (default: compat-baseline.json at the root of NEW\'s contracts folder, if any)')
    .option('--git <ref>', 'compare the working tree with this git revision (branch, tag or commit)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('human'))
    .action(function (this: Command, oldArg: string | undefined, newArg: string | undefined, options: DiffCliOptions) {
      const usage = (message: string): never => this.error(`error: ${message}`, { exitCode: 2, code: 'tongban.usage' });
      if (options.mode !== undefined && !isCompatibilityMode(options.mode)) usage(`--mode must be one of ${COMPATIBILITY_MODES.join(', ')}`);
      if (!(FORMATS as readonly string[]).includes(options.format)) usage(`--format must be one of ${FORMATS.join(', ')}`);
      if (options.git !== undefined && newArg !== undefined) usage('with --git REF give at most one folder');
      if (options.git === undefined && (oldArg === undefined || newArg === undefined)) usage('give OLD and NEW, or --git REF [FOLDER]');
      try {
        const report = runDiff({
          oldPath: options.git === undefined ? oldArg : undefined,
          newPath: options.git === undefined ? newArg : oldArg,
          gitRef: options.git,
          mode: options.mode as Parameters<typeof runDiff>[0]['mode'],
          baselineFile: options.baseline,
        });
        // The program's configured output (the CLI's io in tests), else stdout.
        const { writeOut } = this.configureOutput();
        (writeOut ?? ((text: string) => process.stdout.write(text)))(formatDiffReport(report, options.format as DiffFormat));
        process.exitCode = diffExitCode(report);
      } catch (error) {
        if (error instanceof CompatInputError) usage(error.message);
        throw error;
      }
    });
}

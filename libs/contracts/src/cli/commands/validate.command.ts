import { Command, Option } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { ContractError } from '../../contract.error';
import { resolveContract } from '../../catalogue';
import { validateMessage } from '../../validate';
import { CliExit, toolVersion, useColor, type CliIo } from '../io';
import { formatGithub } from '../report/github.format';
import { formatHuman } from '../report/human.format';
import { formatJson } from '../report/json.format';
import { formatJunit } from '../report/junit.format';
import { locateViolations } from '../report/locate';
import type { FileReport, ValidationRun } from '../report/report.types';
import { formatSarif } from '../report/sarif.format';

export const FORMATS = ['human', 'json', 'junit', 'sarif', 'github'] as const;
export type ReportFormat = (typeof FORMATS)[number];

const STDIN = '-';
const PROGRESS_THRESHOLD = 1000;

interface ValidateOptions {
  contract?: string;
  format: ReportFormat;
  quiet?: boolean;
}

interface Input {
  /** Path to read, or STDIN. */
  path: string;
  display: string;
  error?: string;
}

const toDisplay = (cwd: string, path: string): string => {
  const rel = isAbsolute(path) ? relative(cwd, path) : path;
  return (rel.startsWith('..') || rel === '' ? path : rel).split(sep).join('/');
};

/** Files, directories (their *.json and *.jws, recursively), globs (expanded here, so quoted globs work on any shell) and `-`. */
async function expandInputs(args: string[], cwd: string): Promise<Input[]> {
  const inputs: Input[] = [];
  for (const arg of args) {
    if (arg === STDIN) {
      inputs.push({ path: STDIN, display: '<stdin>' });
      continue;
    }
    const absolute = resolve(cwd, arg);
    let isDirectory = false;
    try {
      isDirectory = statSync(absolute).isDirectory();
    } catch {
      // not a file: maybe a glob, else reported when read
    }
    if (isDirectory || isDynamicPattern(arg)) {
      const matches = isDirectory
        ? await glob('**/*.{json,jws}', { cwd: absolute, onlyFiles: true, absolute: true })
        : await glob(arg, { cwd, onlyFiles: true, absolute: true });
      if (matches.length === 0) inputs.push({ path: arg, display: arg, error: isDirectory ? 'no *.json or *.jws file in this directory' : 'no file matches this pattern' });
      for (const match of matches.sort()) inputs.push({ path: match, display: toDisplay(cwd, match) });
      continue;
    }
    inputs.push({ path: absolute, display: toDisplay(cwd, arg) });
  }
  return inputs;
}

function validateText(display: string, text: string, contract: string | undefined): FileReport {
  try {
    const result = validateMessage(text, { contract });
    const violations = locateViolations(text.replace(/^\uFEFF/, ''), result);
    return { file: display, kind: result.kind, contract: result.contract, versionSource: result.versionSource, valid: result.valid, violations };
  } catch (error) {
    if (error instanceof ContractError) return { file: display, contract: null, valid: false, violations: [], error: error.message };
    throw error;
  }
}

/** Validates every input; never throws for one bad file (it becomes an error entry). */
export async function runValidation(args: string[], options: Pick<ValidateOptions, 'contract'>, io: CliIo): Promise<ValidationRun> {
  const started = performance.now();
  const inputs = await expandInputs(args, io.cwd);
  const progress = inputs.length > PROGRESS_THRESHOLD && io.stderr.isTTY === true;
  const files: FileReport[] = [];
  for (const [i, input] of inputs.entries()) {
    if (progress && i % 250 === 0) io.stderr.write(`\rvalidating ${i}/${inputs.length}`);
    if (input.error !== undefined) {
      files.push({ file: input.display, contract: null, valid: false, violations: [], error: input.error });
      continue;
    }
    let text: string;
    try {
      text = input.path === STDIN ? await io.readStdin() : readFileSync(input.path, 'utf8');
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      files.push({ file: input.display, contract: null, valid: false, violations: [], error: `cannot read: ${code ?? message}` });
      continue;
    }
    files.push(validateText(input.display, text, options.contract));
  }
  if (progress) io.stderr.write(`\rvalidated ${inputs.length}/${inputs.length}\n`);
  return { files, durationMs: performance.now() - started, toolVersion: toolVersion(), cwd: io.cwd };
}

export function render(run: ValidationRun, format: ReportFormat, options: { color: boolean; quiet?: boolean }): string {
  switch (format) {
    case 'human':
      return formatHuman(run, options);
    case 'json':
      return formatJson(run);
    case 'junit':
      return formatJunit(run);
    case 'sarif':
      return formatSarif(run);
    case 'github':
      return formatGithub(run);
  }
}

/** 0 every file valid, 1 any invalid, 2 any file not validated (unreadable, unknown contract…). */
export function exitCodeOf(run: ValidationRun): number {
  if (run.files.some((f) => f.error !== undefined)) return 2;
  return run.files.every((f) => f.valid) ? 0 : 1;
}

export function registerValidateCommand(program: Command, io: CliIo): void {
  program
    .command('validate')
    .summary('validate messages (JWS envelopes, envelope JSON or bare payloads) against their contract')
    .description(
      [
        'Validate messages against the contract named by the message: the JWS header `ctr` (id@version),',
        'or for envelope JSON its `messageType` (newest version unless --contract says which).',
        'A bare payload needs --contract. Signatures are not verified (no keys offline).',
        '',
        'Exit codes: 0 all valid, 1 any invalid, 2 usage or tool error (unreadable file, unknown contract).',
      ].join('\n'),
    )
    .argument('<files...>', 'files, directories (their *.json and *.jws), quoted globs ("messages/**/*.json"), or - for stdin')
    .option('-c, --contract <id@version>', 'contract for bare payloads and envelope JSON: id or message type, optionally @version (default: newest)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('human'))
    .option('-q, --quiet', 'human format: list invalid files only')
    .action(async (args: string[], options: ValidateOptions) => {
      if (options.contract !== undefined) resolveContract(options.contract); // unknown: usage error before reading anything
      const run = await runValidation(args, options, io);
      io.stdout.write(render(run, options.format, { color: useColor(io.stdout, io.env), quiet: options.quiet }));
      throw new CliExit(exitCodeOf(run));
    });
}

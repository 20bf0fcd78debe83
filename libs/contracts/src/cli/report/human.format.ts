import { formatContract, summary, where, type FileReport, type ValidationRun } from './report.types';

const KIND_LABEL = { jws: 'JWS', 'envelope-json': 'envelope JSON', payload: 'payload' } as const;

function paint(color: boolean): Record<'green' | 'red' | 'yellow' | 'dim' | 'bold', (s: string) => string> {
  const code = (open: number, close: number) => (s: string) => (color ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { green: code(32, 39), red: code(31, 39), yellow: code(33, 39), dim: code(2, 22), bold: code(1, 22) };
}

function describe(file: FileReport): string {
  const parts = [formatContract(file.contract)];
  if (file.kind) parts.push(`(${KIND_LABEL[file.kind]}${file.versionSource === 'newest' ? ', newest version: pass --contract to choose' : ''})`);
  return parts.join(' ');
}

/** One line per file; each violation indented below its file; a summary line. */
export function formatHuman(run: ValidationRun, options: { color: boolean; quiet?: boolean }): string {
  const c = paint(options.color);
  const lines: string[] = [];
  for (const file of run.files) {
    if (file.error !== undefined) {
      lines.push(`${c.yellow('!')} ${file.file}  ${c.yellow(`error: ${file.error}`)}`);
      continue;
    }
    if (file.valid) {
      if (!options.quiet) lines.push(`${c.green('✓')} ${file.file}  ${c.dim(describe(file))}`);
      continue;
    }
    const count = file.violations.length;
    lines.push(`${c.red('✗')} ${file.file}  ${describe(file)}  ${c.red(`${count} violation${count === 1 ? '' : 's'}`)}`);
    for (const v of file.violations) {
      const at = v.line !== undefined && file.kind !== 'jws' ? c.dim(`:${v.line}:${v.column} `) : '';
      lines.push(`    ${at}${c.bold(where(v))}  ${v.message} ${c.dim(`[${v.keyword}]`)}`);
    }
  }
  const s = summary(run);
  const counts = [c.green(`${s.valid} valid`), s.invalid > 0 ? c.red(`${s.invalid} invalid`) : `${s.invalid} invalid`];
  if (s.errors > 0) counts.push(c.yellow(`${s.errors} not validated (errors)`));
  lines.push(`${s.total} file${s.total === 1 ? '' : 's'}: ${counts.join(', ')} in ${Math.round(run.durationMs)} ms`);
  return `${lines.join('\n')}\n`;
}

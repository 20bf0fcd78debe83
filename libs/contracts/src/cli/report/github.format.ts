import { formatContract, where, type ValidationRun } from './report.types';

// https://docs.github.com/actions/reference/workflow-commands-for-github-actions: messages escape
// %, CR and LF; property values also `:` and `,`.
const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions annotations: one `::error` per violation (and per file that could not be validated). */
export function formatGithub(run: ValidationRun): string {
  const lines: string[] = [];
  for (const file of run.files) {
    const at = (line?: number, column?: number): string =>
      [`file=${escapeProperty(file.file)}`, ...(line !== undefined ? [`line=${line}`] : []), ...(column !== undefined ? [`col=${column}`] : [])].join(',');
    if (file.error !== undefined) {
      lines.push(`::error ${at()},title=${escapeProperty('tongban-contracts: not validated')}::${escapeData(file.error)}`);
      continue;
    }
    for (const v of file.violations) {
      const title = `${formatContract(file.contract)} ${where(v)}`;
      lines.push(`::error ${at(v.line, file.kind === 'jws' ? undefined : v.column)},title=${escapeProperty(title)}::${escapeData(`${v.message} [${v.keyword}]`)}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

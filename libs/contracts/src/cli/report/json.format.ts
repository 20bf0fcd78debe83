import type { ValidationRun } from './report.types';

/** A JSON array, one FileReport per file (see report.types.ts and the README), in input order. */
export function formatJson(run: ValidationRun): string {
  return `${JSON.stringify(run.files, null, 2)}\n`;
}

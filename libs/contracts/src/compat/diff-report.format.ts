import type { DiffReport, ReportedBreak, VersionReport } from './contract-diff';
import type { SchemaChange } from './schema-change';

export type DiffFormat = 'human' | 'json';

/** Exit status of `diff`: 1 when any breaking change is not accepted by the baseline. */
export function diffExitCode(report: DiffReport): 0 | 1 {
  return report.unaccepted > 0 ? 1 : 0;
}

const sameChange = (a: SchemaChange, b: SchemaChange): boolean => a.kind === b.kind && a.pointer === b.pointer && a.message === b.message;

function directions(change: SchemaChange): string {
  if (change.breaksBackward && change.breaksForward) return 'breaks backward and forward';
  if (change.breaksBackward) return 'breaks backward';
  if (change.breaksForward) return 'breaks forward';
  return 'compatible both ways';
}

function title(v: VersionReport): string {
  const name = v.contract ? `${v.contract}@${v.version}` : v.version;
  const how = `${v.mode} (${v.modeSource})`;
  switch (v.status) {
    case 'added':
      return v.previous ? `${name}: new version, checked against ${v.previous}${v.mode.endsWith('_TRANSITIVE') ? ' and every earlier version' : ''} under ${how}` : `${name}: first version, nothing to compare`;
    case 'edited':
      return `${name}: published version edited in place, checked under ${how}`;
    case 'removed':
      return `${name}: removed`;
    case 'compared':
      return `${v.previous} → ${name}, under ${how}`;
  }
}

function line(status: string, change: SchemaChange, extra?: string): string[] {
  return [`  ${status.padEnd(9)} ${change.kind}  #${change.pointer}`, `            ${change.message} (${directions(change)})${extra ? `; ${extra}` : ''}`];
}

/** Every change marked BREAKING, accepted (by the baseline) or ok, then a one-line result. */
export function formatHuman(report: DiffReport): string {
  const out: string[] = [];
  for (const v of report.versions) {
    out.push(title(v));
    const shown = new Set<ReportedBreak>();
    for (const change of v.changes) {
      const b = v.breaking.find((x) => x.against === v.previous && sameChange(x, change));
      if (b) shown.add(b);
      if (!b) out.push(...line('ok', change));
      else if (b.acceptedBy) out.push(...line('accepted', change, `baseline: ${b.acceptedBy.reason}`));
      else out.push(...line('BREAKING', change));
    }
    const older = v.breaking.filter((b) => !shown.has(b));
    for (const against of [...new Set(older.map((b) => b.against))]) {
      out.push(`  against ${against}:`);
      for (const b of older.filter((x) => x.against === against)) {
        out.push(...line(b.acceptedBy ? 'accepted' : 'BREAKING', b, b.acceptedBy ? `baseline: ${b.acceptedBy.reason}` : undefined));
      }
    }
    if (v.changes.length === 0 && v.breaking.length === 0 && v.previous) out.push('  no differences');
    out.push('');
  }
  if (report.versions.length === 0) out.push('No contract version was added, edited or removed.', '');
  const total = report.versions.reduce((n, v) => n + v.changes.length, 0);
  out.push(
    report.unaccepted > 0
      ? `FAILED: ${report.unaccepted} breaking change(s) not in the baseline${report.accepted ? `, ${report.accepted} accepted by it` : ''} (${total} change(s) in all).`
      : `OK: no unaccepted breaking change${report.accepted ? ` (${report.accepted} accepted by the baseline)` : ''} (${total} change(s) in all).`,
  );
  return `${out.join('\n')}\n`;
}

export function formatJson(report: DiffReport): string {
  return `${JSON.stringify({ ...report, exitCode: diffExitCode(report) }, null, 2)}\n`;
}

export function formatDiffReport(report: DiffReport, format: DiffFormat): string {
  return format === 'json' ? formatJson(report) : formatHuman(report);
}

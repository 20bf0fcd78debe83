import type { BreakingChange } from './check-compatibility';

/**
 * One known, accepted break (contracts/compat-baseline.json): a break that matches an entry does
 * not fail `diff` or the repo check. Every entry must say why it is acceptable (usually: a new
 * major version, published side by side, with a converter in the gateway).
 */
export interface BaselineEntry {
  /** Contract id, e.g. case-submission. */
  contract: string;
  /** The earlier version the break is against (BreakingChange.against). */
  from: string;
  /** The version that introduces the break. */
  to: string;
  /** SchemaChange.kind. */
  kind: string;
  /** SchemaChange.pointer, exactly; or ending in `*` to accept every pointer with that prefix. */
  pointer: string;
  reason: string;
}

export class BaselineFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineFormatError';
  }
}

const FIELDS = ['contract', 'from', 'to', 'kind', 'pointer', 'reason'] as const;

/** Accepts `{ "accepted": [entries] }` (the repo's file, which has room for a description) or a bare array. */
export function parseBaseline(json: unknown, source = 'baseline'): BaselineEntry[] {
  const list = Array.isArray(json) ? json : typeof json === 'object' && json !== null ? (json as { accepted?: unknown }).accepted : undefined;
  if (!Array.isArray(list)) throw new BaselineFormatError(`${source}: expected {"accepted": [...]} or an array of entries`);
  return list.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new BaselineFormatError(`${source}: entry ${index} is not an object`);
    const record = entry as Record<string, unknown>;
    for (const field of FIELDS) {
      if (typeof record[field] !== 'string') throw new BaselineFormatError(`${source}: entry ${index} needs a string "${field}"`);
    }
    if ((record.reason as string).trim() === '') throw new BaselineFormatError(`${source}: entry ${index} must give a reason`);
    return Object.fromEntries(FIELDS.map((f) => [f, record[f]])) as unknown as BaselineEntry;
  });
}

function pointerMatches(pattern: string, pointer: string): boolean {
  return pattern.endsWith('*') ? pointer.startsWith(pattern.slice(0, -1)) : pattern === pointer;
}

/** The baseline entry accepting this break of `contract` at version `to`, if any. */
export function findBaselineEntry(baseline: readonly BaselineEntry[], contract: string | undefined, to: string, change: BreakingChange): BaselineEntry | undefined {
  if (contract === undefined) return undefined;
  return baseline.find(
    (e) => e.contract === contract && e.to === to && e.from === change.against && e.kind === change.kind && pointerMatches(e.pointer, change.pointer),
  );
}

import { breaksUnder, isTransitive, type CompatibilityMode, type SchemaChange } from './schema-change';
import { diffSchemas } from './schema-diff';

export interface SchemaVersion {
  version: string;
  schema: object;
}

export type BreakingChange = SchemaChange & {
  /** The earlier version the candidate breaks. */
  against: string;
};

export interface CompatibilityResult {
  compatible: boolean;
  /** Every change that breaks the mode, for each version it was compared against. */
  breaking: BreakingChange[];
  /** Every difference from the last version (empty when there is no history). */
  changes: SchemaChange[];
}

/**
 * Confluent's check: the candidate against the last version (BACKWARD, FORWARD, FULL) or against
 * every earlier version (the _TRANSITIVE modes). `history` is ascending; NONE and an empty history
 * are always compatible (the changes are still listed).
 */
export function checkCompatibility(history: ReadonlyArray<SchemaVersion>, candidate: SchemaVersion, mode: CompatibilityMode): CompatibilityResult {
  const last = history[history.length - 1];
  if (!last) return { compatible: true, breaking: [], changes: [] };
  const changes = diffSchemas(last.schema, candidate.schema);
  if (mode === 'NONE') return { compatible: true, breaking: [], changes };
  const against = isTransitive(mode) ? history : [last];
  const breaking: BreakingChange[] = [];
  for (const earlier of against) {
    const diff = earlier === last ? changes : diffSchemas(earlier.schema, candidate.schema);
    for (const change of diff) {
      if (breaksUnder(change, mode)) breaking.push({ ...change, against: earlier.version });
    }
  }
  return { compatible: breaking.length === 0, breaking, changes };
}

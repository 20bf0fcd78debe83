/**
 * Compatibility modes as Confluent Schema Registry defines them, read for JSON Schema as
 * "which data does a schema accept":
 * - BACKWARD: a consumer using the new schema can read data produced with the last schema
 *   (the new schema accepts everything the last one accepted).
 * - FORWARD: a consumer still using the last schema can read data produced with the new schema
 *   (the last schema accepts everything the new one accepts).
 * - FULL: both.
 * - *_TRANSITIVE: the same, against every earlier version instead of only the last one.
 * - NONE: no check.
 */
export type CompatibilityMode = 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE' | 'NONE';

export const COMPATIBILITY_MODES: readonly CompatibilityMode[] = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
];

export function isCompatibilityMode(value: unknown): value is CompatibilityMode {
  return typeof value === 'string' && (COMPATIBILITY_MODES as readonly string[]).includes(value);
}

/** One difference between two schemas, classified for both directions. */
export interface SchemaChange {
  /** Stable UPPER_SNAKE code (never renamed once shipped; baselines refer to it), e.g. REQUIRED_ATTRIBUTE_ADDED. */
  kind: string;
  /**
   * JSON pointer to where the change is, walking the schema as if every local `$ref` were written
   * out in place (e.g. /properties/applicant/properties/name/maxLength even when `maxLength` lives
   * in #/$defs/text; the message then says "via #/$defs/text"). '' is the schema root.
   */
  pointer: string;
  /** Some data valid under the old schema may be invalid under the new one (new readers reject old data). */
  breaksBackward: boolean;
  /** Some data valid under the new schema may be invalid under the old one (old readers reject new data). */
  breaksForward: boolean;
  /** For a person: what changed and why it is (or is not) breaking. */
  message: string;
}

/** Whether a change breaks the given mode (transitive or not: that decides only which versions are compared). */
export function breaksUnder(change: SchemaChange, mode: CompatibilityMode): boolean {
  switch (mode) {
    case 'BACKWARD':
    case 'BACKWARD_TRANSITIVE':
      return change.breaksBackward;
    case 'FORWARD':
    case 'FORWARD_TRANSITIVE':
      return change.breaksForward;
    case 'FULL':
    case 'FULL_TRANSITIVE':
      return change.breaksBackward || change.breaksForward;
    case 'NONE':
      return false;
  }
}

export function isTransitive(mode: CompatibilityMode): boolean {
  return mode.endsWith('_TRANSITIVE');
}

import { checkCompatibility, type SchemaVersion } from './check-compatibility';
import { breaksUnder, COMPATIBILITY_MODES, isCompatibilityMode, type CompatibilityMode } from './schema-change';

const closed = (properties: Record<string, unknown>, required: string[] = []): object => ({ type: 'object', additionalProperties: false, properties, required });
const v = (version: string, schema: object): SchemaVersion => ({ version, schema });

const BASE = v('1.0.0', closed({ name: { type: 'string' } }, ['name']));
/** New optional field in a closed object: old readers reject new data that carries it. */
const OPTIONAL_ADDED = v('1.1.0', closed({ name: { type: 'string' }, mobile: { type: 'string' } }, ['name']));
/** New required field: new readers reject old data that lacks it. */
const REQUIRED_ADDED = v('2.0.0', closed({ name: { type: 'string' }, idType: { type: 'string' } }, ['name', 'idType']));
/** Only a description changed. */
const DOCS_ONLY = v('1.0.1', { ...closed({ name: { type: 'string', description: '姓名 / Name' } }, ['name']) });

const compatible = (history: SchemaVersion[], candidate: SchemaVersion, mode: CompatibilityMode): boolean => checkCompatibility(history, candidate, mode).compatible;

describe('checkCompatibility', () => {
  it.each<[string, SchemaVersion, Record<CompatibilityMode, boolean>]>([
    ['an optional field added to a closed object', OPTIONAL_ADDED, { BACKWARD: true, BACKWARD_TRANSITIVE: true, FORWARD: false, FORWARD_TRANSITIVE: false, FULL: false, FULL_TRANSITIVE: false, NONE: true }],
    ['a required field added', REQUIRED_ADDED, { BACKWARD: false, BACKWARD_TRANSITIVE: false, FORWARD: false, FORWARD_TRANSITIVE: false, FULL: false, FULL_TRANSITIVE: false, NONE: true }],
    ['a description edited', DOCS_ONLY, { BACKWARD: true, BACKWARD_TRANSITIVE: true, FORWARD: true, FORWARD_TRANSITIVE: true, FULL: true, FULL_TRANSITIVE: true, NONE: true }],
  ])('%s', (_name, candidate, expected) => {
    for (const mode of COMPATIBILITY_MODES) {
      expect([mode, compatible([BASE], candidate, mode)]).toEqual([mode, expected[mode]]);
    }
  });

  it('an optional field removed from an open object breaks FORWARD only', () => {
    const withField = v('1.0.0', { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } } });
    const without = v('1.1.0', { type: 'object', properties: { a: { type: 'string' } } });
    expect(compatible([withField], without, 'BACKWARD')).toBe(true);
    expect(compatible([withField], without, 'FORWARD')).toBe(false);
  });

  it('lists every change from the last version and tags each break with the version it breaks', () => {
    const result = checkCompatibility([BASE], REQUIRED_ADDED, 'BACKWARD');
    expect(result.changes.map((c) => c.kind)).toEqual(['REQUIRED_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL']);
    expect(result.breaking).toEqual([expect.objectContaining({ kind: 'REQUIRED_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL', pointer: '/properties/idType', against: '1.0.0' })]);
  });

  it('NONE lists the changes but never fails; an empty history has nothing to compare', () => {
    expect(checkCompatibility([BASE], REQUIRED_ADDED, 'NONE')).toEqual({ compatible: true, breaking: [], changes: [expect.objectContaining({ breaksBackward: true })] });
    expect(checkCompatibility([], BASE, 'FULL_TRANSITIVE')).toEqual({ compatible: true, breaking: [], changes: [] });
  });

  describe('transitive modes compare with every earlier version, plain modes with the last only', () => {
    // 1.1.0 tightened maxLength (accepted at the time, e.g. a baselined break), 1.2.0 loosens it
    // a little: fine against 1.1.0, still tighter than 1.0.0.
    const history = [v('1.0.0', { type: 'string', maxLength: 5 }), v('1.1.0', { type: 'string', maxLength: 3 })];
    const candidate = v('1.2.0', { type: 'string', maxLength: 4 });

    it('BACKWARD passes, BACKWARD_TRANSITIVE fails against 1.0.0', () => {
      expect(compatible(history, candidate, 'BACKWARD')).toBe(true);
      const transitive = checkCompatibility(history, candidate, 'BACKWARD_TRANSITIVE');
      expect(transitive.compatible).toBe(false);
      expect(transitive.breaking.map((b) => [b.kind, b.against])).toEqual([['MAX_LENGTH_DECREASED', '1.0.0']]);
      // `changes` stays the diff from the last version.
      expect(transitive.changes.map((c) => c.kind)).toEqual(['MAX_LENGTH_INCREASED']);
    });

    it('FORWARD fails against the last, FORWARD_TRANSITIVE against every version it widens', () => {
      const widening = [v('1.0.0', { type: 'string', maxLength: 3 }), v('1.1.0', { type: 'string', maxLength: 5 })];
      const next = v('1.2.0', { type: 'string', maxLength: 4 });
      expect(compatible(widening, next, 'FORWARD')).toBe(true);
      expect(checkCompatibility(widening, next, 'FORWARD_TRANSITIVE').breaking.map((b) => b.against)).toEqual(['1.0.0']);
      expect(checkCompatibility(widening, next, 'FULL').breaking.map((b) => b.against)).toEqual(['1.1.0']);
      expect(checkCompatibility(widening, next, 'FULL_TRANSITIVE').breaking.map((b) => [b.against, b.kind])).toEqual([
        ['1.0.0', 'MAX_LENGTH_INCREASED'],
        ['1.1.0', 'MAX_LENGTH_DECREASED'],
      ]);
    });
  });

  it('mode helpers', () => {
    const change = { kind: 'X', pointer: '', breaksBackward: true, breaksForward: false, message: '' };
    expect(COMPATIBILITY_MODES.filter((m) => breaksUnder(change, m))).toEqual(['BACKWARD', 'BACKWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE']);
    expect(isCompatibilityMode('FULL')).toBe(true);
    expect(isCompatibilityMode('full')).toBe(false);
  });
});

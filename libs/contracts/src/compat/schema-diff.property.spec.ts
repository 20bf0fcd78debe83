import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { checkCompatibility } from './check-compatibility';
import { COMPATIBILITY_MODES } from './schema-change';
import { diffSchemas } from './schema-diff';

/**
 * Property-based sanity of the engine on small random schemas:
 * 1. a schema compared with itself has no differences and is compatible under every mode;
 * 2. soundness against a real validator: whenever some value is valid under OLD and invalid under
 *    NEW, the diff contains a change that breaks backward (and the mirror image for forward).
 *    The engine may over-report (it is conservative), it must never miss a break.
 */

const NAMES = ['a', 'b', 'c'];
const PATTERNS = ['^a', '^[ab]+$', 'c$'];

const leaf: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constantFrom({}, { type: 'string' }, { type: 'integer' }, { type: 'number' }, { type: 'null' }, { type: ['string', 'null'] }, { type: 'boolean' }),
  fc.record({ type: fc.constant('string'), minLength: fc.integer({ min: 0, max: 3 }), maxLength: fc.integer({ min: 1, max: 4 }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('string'), pattern: fc.constantFrom(...PATTERNS) }),
  fc.record({ type: fc.constant('integer'), minimum: fc.integer({ min: -2, max: 2 }), maximum: fc.integer({ min: 0, max: 4 }), multipleOf: fc.constantFrom(1, 2, 3, 4) }, { requiredKeys: ['type'] }),
  fc.record({ exclusiveMinimum: fc.integer({ min: -1, max: 1 }) }),
  fc.record({ enum: fc.uniqueArray(fc.constantFrom<unknown>('a', 'b', 1, 2, null, true), { minLength: 1, maxLength: 3 }) }),
  fc.record({ const: fc.constantFrom<unknown>('a', 1, null) }),
);

const { schema } = fc.letrec<{ schema: Record<string, unknown> | boolean; object: Record<string, unknown>; array: Record<string, unknown> }>((tie) => ({
  schema: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.boolean(), tie('object'), tie('array'), {
    arbitrary: fc.oneof(
      fc.record({ anyOf: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }) }),
      fc.record({ oneOf: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }) }),
      fc.record({ allOf: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }) }),
      fc.record({ not: tie('schema') }),
      fc.record({ if: tie('schema'), then: tie('schema'), else: tie('schema') }, { requiredKeys: ['if'] }),
    ),
    weight: 1,
  }),
  object: fc.record(
    {
      type: fc.constant('object'),
      properties: fc.dictionary(fc.constantFrom(...NAMES), tie('schema'), { maxKeys: 2 }),
      required: fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 2 }),
      additionalProperties: fc.oneof(fc.boolean(), leaf),
      patternProperties: fc.dictionary(fc.constantFrom('^c'), leaf, { maxKeys: 1 }),
      dependentRequired: fc.dictionary(fc.constantFrom(...NAMES), fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 2 }), { maxKeys: 1 }),
      minProperties: fc.integer({ min: 0, max: 2 }),
      maxProperties: fc.integer({ min: 1, max: 3 }),
    },
    { requiredKeys: ['type'] },
  ),
  array: fc.record(
    {
      type: fc.constant('array'),
      items: tie('schema'),
      prefixItems: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }),
      minItems: fc.integer({ min: 0, max: 2 }),
      maxItems: fc.integer({ min: 1, max: 3 }),
      uniqueItems: fc.boolean(),
      contains: leaf,
    },
    { requiredKeys: ['type'] },
  ),
}));

/** Schemas wrapped in an object so $refs into $defs get exercised too. */
const document = fc.tuple(schema, fc.boolean()).map(([s, viaRef]) => (viaRef ? { $defs: { d: s }, $ref: '#/$defs/d' } : typeof s === 'boolean' ? { allOf: [s] } : s));

const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<unknown>(null, true, false, 0, 1, 2, 3, 4, -1, 1.5, '', 'a', 'b', 'ab', 'abc', 'ca', 'c', 'ba'),
    fc.dictionary(fc.constantFrom(...NAMES, 'cx', 'd'), tie('v'), { maxKeys: 3, noNullPrototype: true }),
    fc.array(tie('v'), { maxLength: 3 }),
  ),
})).v;

describe('diffSchemas properties', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  const compile = (s: object): ((v: unknown) => boolean) => {
    const validate = ajv.compile(s);
    return (v) => validate(v) as boolean;
  };

  it('a schema against itself: no differences, compatible under every mode', () => {
    fc.assert(
      fc.property(document, (s) => {
        expect(diffSchemas(s, s)).toEqual([]);
        for (const mode of COMPATIBILITY_MODES) {
          expect(checkCompatibility([{ version: '1.0.0', schema: s }], { version: '1.0.1', schema: structuredClone(s) }, mode).compatible).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never misses a break that a validator can observe (random pairs and values)', () => {
    fc.assert(
      fc.property(document, document, fc.array(value, { minLength: 20, maxLength: 40 }), (oldSchema, newSchema, values) => {
        const validOld = compile(oldSchema);
        const validNew = compile(newSchema);
        const changes = diffSchemas(oldSchema, newSchema);
        for (const v of values) {
          const o = validOld(v);
          const n = validNew(v);
          if (o && !n) expect({ value: v, backward: changes.some((c) => c.breaksBackward) }).toEqual({ value: v, backward: true });
          if (n && !o) expect({ value: v, forward: changes.some((c) => c.breaksForward) }).toEqual({ value: v, forward: true });
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never misses a break after a small edit (one schema and a mutation of it)', () => {
    const mutate = (s: Record<string, unknown>, edit: Record<string, unknown>, drop: string | undefined): Record<string, unknown> => {
      const copy: Record<string, unknown> = { ...s, ...edit };
      if (drop !== undefined) delete copy[drop];
      return copy;
    };
    const edit = fc.oneof(
      fc.constant({}),
      fc.record({ type: fc.constantFrom('string', 'integer', 'number', 'object', 'array', 'null') }),
      fc.record({ minLength: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ maxItems: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ required: fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 3 }) }),
      fc.record({ additionalProperties: fc.oneof(fc.boolean(), leaf) }),
      fc.record({ properties: fc.dictionary(fc.constantFrom(...NAMES), leaf, { maxKeys: 3 }) }),
      fc.record({ enum: fc.uniqueArray(fc.constantFrom<unknown>('a', 'b', 1, null), { minLength: 1, maxLength: 3 }) }),
      fc.record({ anyOf: fc.array(leaf, { minLength: 1, maxLength: 2 }) }),
      fc.record({ not: leaf }),
    );
    fc.assert(
      fc.property(
        schema.filter((s): s is Record<string, unknown> => typeof s === 'object'),
        edit,
        fc.option(fc.constantFrom('type', 'required', 'properties', 'additionalProperties', 'items', 'anyOf', 'allOf', 'oneOf', 'not', 'if', 'then'), { nil: undefined }),
        fc.array(value, { minLength: 20, maxLength: 40 }),
        (oldSchema, e, drop, values) => {
          const newSchema = mutate(oldSchema, e, drop);
          const validOld = compile(oldSchema);
          const validNew = compile(newSchema);
          const changes = diffSchemas(oldSchema, newSchema);
          for (const v of values) {
            const o = validOld(v);
            const n = validNew(v);
            if (o && !n) expect({ value: v, backward: changes.some((c) => c.breaksBackward) }).toEqual({ value: v, backward: true });
            if (n && !o) expect({ value: v, forward: changes.some((c) => c.breaksForward) }).toEqual({ value: v, forward: true });
          }
        },
      ),
      { numRuns: 600 },
    );
  });
});

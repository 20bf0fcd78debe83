import type { SchemaChange } from './schema-change';
import { diffSchemas } from './schema-diff';

type Flags = [kind: string, pointer: string, breaksBackward: boolean, breaksForward: boolean];

const flags = (changes: SchemaChange[]): Flags[] => changes.map((c) => [c.kind, c.pointer, c.breaksBackward, c.breaksForward]);
const closed = (properties: Record<string, unknown>, required: string[] = []): object => ({ type: 'object', additionalProperties: false, properties, required });
const open = (properties: Record<string, unknown>, required: string[] = []): object => ({ type: 'object', properties, required });
const str = { type: 'string' };

/**
 * Each rule in both directions: OLD → NEW gives `forward`; NEW → OLD must give `reverse`, usually
 * the same change seen from the other side, with backward and forward swapped.
 */
const RULES: Array<{ rule: string; old: object; new: object; forward: Flags; reverse: Flags }> = [
  // types
  { rule: 'type narrowed', old: { type: ['string', 'null'] }, new: { type: 'string' }, forward: ['TYPE_NARROWED', '/type', true, false], reverse: ['TYPE_EXTENDED', '/type', false, true] },
  { rule: 'integer widened to number', old: { type: 'integer' }, new: { type: 'number' }, forward: ['TYPE_EXTENDED', '/type', false, true], reverse: ['TYPE_NARROWED', '/type', true, false] },
  { rule: 'type changed', old: { type: 'string' }, new: { type: 'integer' }, forward: ['TYPE_CHANGED', '/type', true, true], reverse: ['TYPE_CHANGED', '/type', true, true] },
  { rule: 'type added where any was allowed', old: {}, new: { type: 'object' }, forward: ['TYPE_NARROWED', '/type', true, false], reverse: ['TYPE_EXTENDED', '/type', false, true] },
  // properties and content models
  {
    rule: 'optional property added to a closed object',
    old: closed({ a: str }),
    new: closed({ a: str, b: str }),
    forward: ['OPTIONAL_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL', '/properties/b', false, true],
    reverse: ['PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', '/properties/b', true, false],
  },
  {
    rule: 'required property added to a closed object',
    old: closed({ a: str }, ['a']),
    new: closed({ a: str, b: str }, ['a', 'b']),
    forward: ['REQUIRED_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL', '/properties/b', true, true],
    reverse: ['REQUIRED_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', '/properties/b', true, true],
  },
  {
    rule: 'optional property added to an open object (old data may already carry it)',
    old: open({ a: str }),
    new: open({ a: str, b: str }),
    forward: ['OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', '/properties/b', true, false],
    reverse: ['PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', '/properties/b', false, true],
  },
  {
    rule: 'property with an empty schema added to an open object',
    old: open({ a: str }),
    new: open({ a: str, b: { description: 'anything' } }),
    forward: ['OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', '/properties/b', false, false],
    reverse: ['PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', '/properties/b', false, false],
  },
  {
    rule: 'required property added to an open object',
    old: open({ a: str }),
    new: open({ a: str, b: {} }, ['b']),
    forward: ['REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', '/properties/b', true, false],
    reverse: ['REQUIRED_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', '/properties/b', false, true],
  },
  {
    rule: 'property added that the partially open model already covered',
    old: { type: 'object', properties: {}, additionalProperties: str },
    new: { type: 'object', properties: { b: str }, additionalProperties: str },
    forward: ['OPTIONAL_PROPERTY_ADDED_TO_PARTIALLY_OPEN_CONTENT_MODEL', '/properties/b', false, false],
    reverse: ['PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_CONTENT_MODEL', '/properties/b', false, false],
  },
  {
    rule: 'property added that is narrower than the partially open model',
    old: { type: 'object', additionalProperties: str },
    new: { type: 'object', properties: { b: { type: 'string', maxLength: 3 } }, additionalProperties: str },
    forward: ['OPTIONAL_PROPERTY_ADDED_TO_PARTIALLY_OPEN_CONTENT_MODEL', '/properties/b', true, false],
    reverse: ['PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_CONTENT_MODEL', '/properties/b', false, true],
  },
  {
    rule: 'property added under a matching patternProperties',
    old: { type: 'object', patternProperties: { '^x-': str }, additionalProperties: false },
    new: { type: 'object', properties: { 'x-b': { type: 'integer' } }, patternProperties: { '^x-': str }, additionalProperties: false },
    forward: ['OPTIONAL_PROPERTY_ADDED_TO_PARTIALLY_OPEN_CONTENT_MODEL', '/properties/x-b', true, true],
    reverse: ['PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_CONTENT_MODEL', '/properties/x-b', true, true],
  },
  { rule: 'existing property made required', old: open({ a: str }), new: open({ a: str }, ['a']), forward: ['REQUIRED_ATTRIBUTE_ADDED', '/properties/a', true, false], reverse: ['REQUIRED_ATTRIBUTE_REMOVED', '/properties/a', false, true] },
  { rule: 'object closed', old: open({ a: str }), new: closed({ a: str }), forward: ['CONTENT_MODEL_CLOSED', '/additionalProperties', true, false], reverse: ['CONTENT_MODEL_OPENED', '/additionalProperties', false, true] },
  {
    rule: 'additionalProperties schema narrowed',
    old: { type: 'object', additionalProperties: { type: ['string', 'integer'] } },
    new: { type: 'object', additionalProperties: str },
    forward: ['TYPE_NARROWED', '/additionalProperties/type', true, false],
    reverse: ['TYPE_EXTENDED', '/additionalProperties/type', false, true],
  },
  {
    rule: 'nested object: property added deep inside',
    old: closed({ a: closed({ b: closed({ c: str }) }) }),
    new: closed({ a: closed({ b: closed({ c: str, d: str }) }) }),
    forward: ['OPTIONAL_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL', '/properties/a/properties/b/properties/d', false, true],
    reverse: ['PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', '/properties/a/properties/b/properties/d', true, false],
  },
  {
    rule: 'dependentRequired extended',
    old: { type: 'object', dependentRequired: { a: ['b'] } },
    new: { type: 'object', dependentRequired: { a: ['b', 'c'] } },
    forward: ['DEPENDENT_REQUIRED_EXTENDED', '/dependentRequired/a', true, false],
    reverse: ['DEPENDENT_REQUIRED_NARROWED', '/dependentRequired/a', false, true],
  },
  // values
  { rule: 'enum value removed', old: { enum: ['A', 'B'] }, new: { enum: ['A'] }, forward: ['ENUM_NARROWED', '/enum', true, false], reverse: ['ENUM_EXTENDED', '/enum', false, true] },
  { rule: 'enum value replaced', old: { enum: ['A', 'B'] }, new: { enum: ['A', 'C'] }, forward: ['ENUM_CHANGED', '/enum', true, true], reverse: ['ENUM_CHANGED', '/enum', true, true] },
  { rule: 'enum added', old: str, new: { type: 'string', enum: ['A'] }, forward: ['ENUM_ADDED', '/enum', true, false], reverse: ['ENUM_REMOVED', '/enum', false, true] },
  { rule: 'enum reordered', old: { enum: ['A', 'B'] }, new: { enum: ['B', 'A'] }, forward: ['ENUM_REWRITTEN', '/enum', false, false], reverse: ['ENUM_REWRITTEN', '/enum', false, false] },
  { rule: 'const changed', old: { const: 'A' }, new: { const: 'B' }, forward: ['CONST_CHANGED', '/const', true, true], reverse: ['CONST_CHANGED', '/const', true, true] },
  { rule: 'const added', old: str, new: { type: 'string', const: 'A' }, forward: ['CONST_ADDED', '/const', true, false], reverse: ['CONST_REMOVED', '/const', false, true] },
  // bounds
  { rule: 'minLength raised', old: { type: 'string', minLength: 1 }, new: { type: 'string', minLength: 2 }, forward: ['MIN_LENGTH_INCREASED', '/minLength', true, false], reverse: ['MIN_LENGTH_DECREASED', '/minLength', false, true] },
  { rule: 'maxLength lowered', old: { type: 'string', maxLength: 200 }, new: { type: 'string', maxLength: 100 }, forward: ['MAX_LENGTH_DECREASED', '/maxLength', true, false], reverse: ['MAX_LENGTH_INCREASED', '/maxLength', false, true] },
  { rule: 'maxLength added', old: str, new: { type: 'string', maxLength: 10 }, forward: ['MAX_LENGTH_ADDED', '/maxLength', true, false], reverse: ['MAX_LENGTH_REMOVED', '/maxLength', false, true] },
  { rule: 'minLength 0 added (no effect)', old: str, new: { type: 'string', minLength: 0 }, forward: ['MIN_LENGTH_ADDED', '/minLength', false, false], reverse: ['MIN_LENGTH_REMOVED', '/minLength', false, false] },
  { rule: 'minimum raised', old: { type: 'integer', minimum: 0 }, new: { type: 'integer', minimum: 1 }, forward: ['MINIMUM_INCREASED', '/minimum', true, false], reverse: ['MINIMUM_DECREASED', '/minimum', false, true] },
  { rule: 'maximum added', old: { type: 'integer' }, new: { type: 'integer', maximum: 9 }, forward: ['MAXIMUM_ADDED', '/maximum', true, false], reverse: ['MAXIMUM_REMOVED', '/maximum', false, true] },
  { rule: 'exclusiveMinimum added', old: { type: 'number' }, new: { type: 'number', exclusiveMinimum: 0 }, forward: ['EXCLUSIVE_MINIMUM_ADDED', '/exclusiveMinimum', true, false], reverse: ['EXCLUSIVE_MINIMUM_REMOVED', '/exclusiveMinimum', false, true] },
  { rule: 'minItems raised', old: { type: 'array', minItems: 1 }, new: { type: 'array', minItems: 2 }, forward: ['MIN_ITEMS_INCREASED', '/minItems', true, false], reverse: ['MIN_ITEMS_DECREASED', '/minItems', false, true] },
  { rule: 'maxItems lowered', old: { type: 'array', maxItems: 500 }, new: { type: 'array', maxItems: 50 }, forward: ['MAX_ITEMS_DECREASED', '/maxItems', true, false], reverse: ['MAX_ITEMS_INCREASED', '/maxItems', false, true] },
  { rule: 'maxProperties added', old: { type: 'object' }, new: { type: 'object', maxProperties: 3 }, forward: ['MAX_PROPERTIES_ADDED', '/maxProperties', true, false], reverse: ['MAX_PROPERTIES_REMOVED', '/maxProperties', false, true] },
  { rule: 'multipleOf made coarser', old: { type: 'integer', multipleOf: 2 }, new: { type: 'integer', multipleOf: 4 }, forward: ['MULTIPLE_OF_EXPANDED', '/multipleOf', true, false], reverse: ['MULTIPLE_OF_REDUCED', '/multipleOf', false, true] },
  { rule: 'multipleOf changed', old: { type: 'integer', multipleOf: 2 }, new: { type: 'integer', multipleOf: 3 }, forward: ['MULTIPLE_OF_CHANGED', '/multipleOf', true, true], reverse: ['MULTIPLE_OF_CHANGED', '/multipleOf', true, true] },
  { rule: 'uniqueItems added', old: { type: 'array' }, new: { type: 'array', uniqueItems: true }, forward: ['UNIQUE_ITEMS_ADDED', '/uniqueItems', true, false], reverse: ['UNIQUE_ITEMS_REMOVED', '/uniqueItems', false, true] },
  // pattern and format: any change is breaking both ways
  { rule: 'pattern added', old: str, new: { type: 'string', pattern: '^[0-9]{6}$' }, forward: ['PATTERN_ADDED', '/pattern', true, false], reverse: ['PATTERN_REMOVED', '/pattern', false, true] },
  {
    rule: 'pattern changed (even when one looks looser)',
    old: { type: 'string', pattern: '^[0-9]{6}$' },
    new: { type: 'string', pattern: '^[0-9]{5,6}$' },
    forward: ['PATTERN_CHANGED', '/pattern', true, true],
    reverse: ['PATTERN_CHANGED', '/pattern', true, true],
  },
  { rule: 'format added', old: str, new: { type: 'string', format: 'uuid' }, forward: ['FORMAT_ADDED', '/format', true, false], reverse: ['FORMAT_REMOVED', '/format', false, true] },
  { rule: 'format changed', old: { type: 'string', format: 'date' }, new: { type: 'string', format: 'date-time' }, forward: ['FORMAT_CHANGED', '/format', true, true], reverse: ['FORMAT_CHANGED', '/format', true, true] },
  // arrays
  {
    rule: 'items narrowed',
    old: { type: 'array', items: str },
    new: { type: 'array', items: { type: 'string', maxLength: 3 } },
    forward: ['MAX_LENGTH_ADDED', '/items/maxLength', true, false],
    reverse: ['MAX_LENGTH_REMOVED', '/items/maxLength', false, true],
  },
  {
    rule: 'closed tuple gets a position',
    old: { type: 'array', prefixItems: [str], items: false },
    new: { type: 'array', prefixItems: [str, { type: 'integer' }], items: false },
    forward: ['FALSE_SCHEMA_RELAXED', '/prefixItems/1', false, true],
    reverse: ['SCHEMA_SET_TO_FALSE', '/prefixItems/1', true, false],
  },
  { rule: 'contains added', old: { type: 'array' }, new: { type: 'array', contains: str }, forward: ['CONTAINS_ADDED', '/contains', true, false], reverse: ['CONTAINS_REMOVED', '/contains', false, true] },
  // combinators
  { rule: 'anyOf branch added', old: { anyOf: [str] }, new: { anyOf: [str, { type: 'null' }] }, forward: ['ANY_OF_BRANCH_ADDED', '/anyOf/1', false, true], reverse: ['ANY_OF_BRANCH_REMOVED', '/anyOf/1', true, false] },
  { rule: 'anyOf branch narrowed', old: { anyOf: [str, { type: 'integer' }] }, new: { anyOf: [str, { type: 'integer', minimum: 0 }] }, forward: ['MINIMUM_ADDED', '/anyOf/1/minimum', true, false], reverse: ['MINIMUM_REMOVED', '/anyOf/1/minimum', false, true] },
  { rule: 'anyOf added', old: {}, new: { anyOf: [str, { type: 'null' }] }, forward: ['ANY_OF_ADDED', '/anyOf', true, false], reverse: ['ANY_OF_REMOVED', '/anyOf', false, true] },
  { rule: 'oneOf branch added', old: { oneOf: [str] }, new: { oneOf: [str, { type: 'null' }] }, forward: ['ONE_OF_BRANCH_ADDED', '/oneOf/1', true, true], reverse: ['ONE_OF_BRANCH_REMOVED', '/oneOf/1', true, true] },
  {
    rule: 'oneOf branch widened: may now overlap another branch',
    old: { oneOf: [str, { type: 'integer', minimum: 10 }] },
    new: { oneOf: [str, { type: 'integer' }] },
    forward: ['MINIMUM_REMOVED', '/oneOf/1/minimum', true, true],
    reverse: ['MINIMUM_ADDED', '/oneOf/1/minimum', true, true],
  },
  { rule: 'allOf subschema added', old: { allOf: [str] }, new: { allOf: [str, { maxLength: 3 }] }, forward: ['ALL_OF_SUBSCHEMA_ADDED', '/allOf/1', true, false], reverse: ['ALL_OF_SUBSCHEMA_REMOVED', '/allOf/1', false, true] },
  {
    rule: 'not: a wider excluded set narrows the schema',
    old: { not: { type: 'string' } },
    new: { not: { type: ['string', 'null'] } },
    forward: ['TYPE_EXTENDED', '/not/type', true, false],
    reverse: ['TYPE_NARROWED', '/not/type', false, true],
  },
  {
    rule: 'then gains a required property',
    old: { if: { properties: { kind: { const: 'L' } }, required: ['kind'] }, then: { required: [] } },
    new: { if: { properties: { kind: { const: 'L' } }, required: ['kind'] }, then: { required: ['rep'] } },
    forward: ['REQUIRED_ATTRIBUTE_ADDED', '/then/properties/rep', true, false],
    reverse: ['REQUIRED_ATTRIBUTE_REMOVED', '/then/properties/rep', false, true],
  },
  {
    rule: 'if condition changed',
    old: { if: { properties: { kind: { const: 'L' } } }, then: { required: ['rep'] } },
    new: { if: { properties: { kind: { const: 'M' } } }, then: { required: ['rep'] } },
    forward: ['CONDITION_CHANGED', '/if', true, true],
    reverse: ['CONDITION_CHANGED', '/if', true, true],
  },
  // booleans, unknown keywords, dialect, refs
  { rule: 'property schema set to false', old: open({ a: str }), new: open({ a: false }), forward: ['SCHEMA_SET_TO_FALSE', '/properties/a', true, false], reverse: ['FALSE_SCHEMA_RELAXED', '/properties/a', false, true] },
  { rule: 'unknown keyword added', old: str, new: { type: 'string', 'x-rule': 1 }, forward: ['KEYWORD_ADDED', '/x-rule', true, false], reverse: ['KEYWORD_REMOVED', '/x-rule', false, true] },
  {
    rule: 'dialect changed',
    old: { $schema: 'http://json-schema.org/draft-07/schema#' },
    new: { $schema: 'https://json-schema.org/draft/2020-12/schema' },
    forward: ['DIALECT_CHANGED', '/$schema', true, true],
    reverse: ['DIALECT_CHANGED', '/$schema', true, true],
  },
  {
    rule: 'remote $ref changed',
    old: { $ref: 'https://example.org/a.json' },
    new: { $ref: 'https://example.org/b.json' },
    forward: ['REF_UNRESOLVED', '', true, true],
    reverse: ['REF_UNRESOLVED', '', true, true],
  },
];

describe('diffSchemas: one rule at a time, both directions', () => {
  it.each(RULES)('$rule', ({ old, new: next, forward, reverse }) => {
    expect(flags(diffSchemas(old, next))).toContainEqual(forward);
    expect(flags(diffSchemas(next, old))).toContainEqual(reverse);
  });

  it.each(RULES)('$rule: nothing unrelated is reported as breaking', ({ old, new: next, forward }) => {
    // Only the rule's own change (and, for partially open models, its details below it) has an effect.
    const elsewhere = flags(diffSchemas(old, next)).filter(([, pointer, b, f]) => (b || f) && !pointer.startsWith(forward[1]));
    expect(elsewhere).toEqual([]);
  });
});

describe('diffSchemas: details', () => {
  it('reports nothing for identical schemas, and only annotations for description and title edits', () => {
    const schema = closed({ a: { description: '甲 / A', type: 'string' } }, ['a']);
    expect(diffSchemas(schema, schema)).toEqual([]);
    const edited = { ...closed({ a: { description: '乙 / B', type: 'string' } }, ['a']), title: 'T' };
    expect(flags(diffSchemas(schema, edited))).toEqual([
      ['TITLE_CHANGED', '/title', false, false],
      ['DESCRIPTION_CHANGED', '/properties/a/description', false, false],
    ]);
  });

  it('follows local $refs and reports a change in $defs at every use, naming the definition', () => {
    const make = (maxLength: number): object => ({
      $defs: { text: { type: 'string', minLength: 1, maxLength } },
      ...closed({ name: { description: 'Name', $ref: '#/$defs/text' }, hall: { $ref: '#/$defs/text' } }),
    });
    const changes = diffSchemas(make(200), make(100));
    expect(flags(changes)).toEqual([
      ['MAX_LENGTH_DECREASED', '/properties/name/maxLength', true, false],
      ['MAX_LENGTH_DECREASED', '/properties/hall/maxLength', true, false],
    ]);
    expect(changes[0].message).toContain('via #/$defs/text');
  });

  it('treats an inlined schema and a $ref to the same schema as equal', () => {
    const inline = closed({ code: { type: 'string', pattern: '^[0-9]+$' } });
    const viaRef = { $defs: { code: { type: 'string', pattern: '^[0-9]+$' } }, ...closed({ code: { $ref: '#/$defs/code' } }) };
    expect(diffSchemas(inline, viaRef).filter((c) => c.breaksBackward || c.breaksForward)).toEqual([]);
  });

  it('terminates on recursive schemas and still sees changes inside the recursion', () => {
    const tree = (max: number): object => ({
      $defs: { node: { type: 'object', properties: { name: { type: 'string', maxLength: max }, children: { type: 'array', items: { $ref: '#/$defs/node' } } } } },
      $ref: '#/$defs/node',
    });
    expect(diffSchemas(tree(10), tree(10))).toEqual([]);
    expect(flags(diffSchemas(tree(10), tree(5)))).toEqual([['MAX_LENGTH_DECREASED', '/properties/name/maxLength', true, false]]);
  });

  it('says why a change inside "not" or "oneOf" is judged the way it is', () => {
    const [notChange] = diffSchemas({ not: { type: 'string' } }, { not: { type: ['string', 'null'] } });
    expect(notChange.message).toContain('inverted');
    const oneOf = diffSchemas({ oneOf: [str, { type: 'integer', minimum: 10 }] }, { oneOf: [str, { type: 'integer' }] });
    expect(oneOf[0].message).toContain('two branches');
  });

  it('an if condition change without then/else has no effect', () => {
    expect(flags(diffSchemas({ if: { required: ['a'] } }, { if: { required: ['b'] } }))).toEqual([['CONDITION_CHANGED', '/if', false, false]]);
  });

  it('a changed unknown keyword cannot be proven safe', () => {
    expect(flags(diffSchemas({ 'x-rule': 1 }, { 'x-rule': 2 }))).toEqual([['KEYWORD_CHANGED', '/x-rule', true, true]]);
  });

  it('escapes JSON pointer tokens in property names', () => {
    expect(flags(diffSchemas(closed({}), closed({ 'a/b~c': str })))).toEqual([['OPTIONAL_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL', '/properties/a~1b~0c', false, true]]);
  });

  it('a new required field in the shipped case-submission shape is breaking backward (the usual v2 mistake)', () => {
    const v1 = { $defs: { text: { type: 'string', minLength: 1 } }, ...closed({ applicant: closed({ name: { $ref: '#/$defs/text' } }, ['name']) }, ['applicant']) };
    const v2 = {
      $defs: { text: { type: 'string', minLength: 1 } },
      ...closed({ applicant: closed({ name: { $ref: '#/$defs/text' }, familyName: { $ref: '#/$defs/text' } }, ['name', 'familyName']) }, ['applicant']),
    };
    const [change] = diffSchemas(v1, v2);
    expect(change).toMatchObject({ kind: 'REQUIRED_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL', pointer: '/properties/applicant/properties/familyName', breaksBackward: true });
    expect(change.message).toContain('"familyName"');
  });
});

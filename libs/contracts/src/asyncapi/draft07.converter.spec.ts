import { DRAFT_07, SchemaConversionError, toDraft07 } from './draft07.converter';

const BASE = '#/components/messages/m/payload/schema';

describe('toDraft07', () => {
  it('moves $defs to definitions and points local references at the embedded location', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://tongban.example/contracts/x/1.0.0/schema.json',
      type: 'object',
      properties: { code: { $ref: '#/$defs/code' }, self: { $ref: '#' } },
      $defs: { code: { type: 'string', pattern: '^[0-9]{12}$' } },
    };
    expect(toDraft07(schema, BASE)).toEqual({
      $schema: DRAFT_07,
      type: 'object',
      properties: { code: { $ref: `${BASE}/definitions/code` }, self: { $ref: BASE } },
      definitions: { code: { type: 'string', pattern: '^[0-9]{12}$' } },
    });
  });

  it('keeps the siblings of a $ref by moving the reference into allOf (draft-07 ignores them)', () => {
    const schema = { properties: { a: { description: 'A', $ref: '#/$defs/t', allOf: [{ minLength: 2 }] } }, $defs: { t: { type: 'string' } } };
    expect(toDraft07(schema, BASE)).toEqual({
      properties: { a: { description: 'A', allOf: [{ $ref: `${BASE}/definitions/t` }, { minLength: 2 }] } },
      definitions: { t: { type: 'string' } },
    });
  });

  it('renames dependentRequired / dependentSchemas to dependencies and prefixItems / items to items / additionalItems', () => {
    const schema = {
      dependentRequired: { mediaType: ['size'] },
      dependentSchemas: { file: { required: ['digest'] } },
      properties: { pair: { prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false }, list: { items: { type: 'string' } } },
    };
    expect(toDraft07(schema, BASE)).toEqual({
      dependencies: { mediaType: ['size'], file: { required: ['digest'] } },
      properties: { pair: { items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false }, list: { items: { type: 'string' } } },
    });
  });

  it('treats property names as data, not keywords', () => {
    const schema = { properties: { $ref: { type: 'string' }, prefixItems: { const: '#/$defs/x' } }, required: ['$defs'] };
    expect(toDraft07(schema, BASE)).toEqual(schema);
  });

  it('rewrites references through renamed keywords and shifted allOf entries', () => {
    const schema = {
      properties: {
        pair: { prefixItems: [{ type: 'string' }] },
        a: { $ref: '#/properties/pair/prefixItems/0' },
        b: { $ref: '#/$defs/w/allOf/0' },
      },
      $defs: { w: { description: 'w', $ref: '#/properties/pair', allOf: [{ minItems: 1 }] } },
    };
    const out = toDraft07(schema, BASE) as { properties: Record<string, { $ref?: string }> };
    expect(out.properties.a.$ref).toBe(`${BASE}/properties/pair/items/0`);
    // allOf[0] is now the moved $ref, the original allOf[0] is allOf[1]
    expect(out.properties.b.$ref).toBe(`${BASE}/definitions/w/allOf/1`);
  });

  it('does not modify its input', () => {
    const schema = { $defs: { t: { type: 'string' } }, properties: { a: { $ref: '#/$defs/t', description: 'a' } } };
    const copy = structuredClone(schema);
    toDraft07(schema, BASE);
    expect(schema).toEqual(copy);
  });

  it.each([
    ['unevaluatedProperties', { unevaluatedProperties: false }, /no draft-07 equivalent/],
    ['$dynamicRef', { properties: { a: { $dynamicRef: '#meta' } } }, /no draft-07 equivalent/],
    ['an external reference', { properties: { a: { $ref: 'https://example.org/s.json' } } }, /only local references/],
    ['a dangling reference', { properties: { a: { $ref: '#/$defs/missing' } } }, /does not resolve/],
    ['an anchor reference', { properties: { a: { $ref: '#item' } } }, /anchors are not supported/],
    ['a nested $id', { properties: { a: { $id: 'x', type: 'string' } } }, /nested "\$id"/],
  ])('refuses %s rather than loosening the contract', (_name, schema, message) => {
    expect(() => toDraft07(schema, BASE)).toThrow(SchemaConversionError);
    expect(() => toDraft07(schema, BASE)).toThrow(message);
  });
});

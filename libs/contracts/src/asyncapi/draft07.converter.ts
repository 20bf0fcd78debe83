/**
 * Converts a contract schema (JSON Schema draft 2020-12) into draft-07, the dialect AsyncAPI 3.0
 * tooling understands (`application/schema+json;version=draft-07`; the default AsyncAPI Schema is a
 * draft-07 superset). `@asyncapi/parser` registers no parser for 2020-12: a payload tagged with
 * that format is accepted *without being validated at all*, so converting is the honest option.
 *
 * Inside an AsyncAPI document every `$ref` is resolved against the document root, not the schema,
 * so a local reference (`#/$defs/code`) becomes `<base>/definitions/code` where `base` is the JSON
 * pointer (as a URI fragment) of the embedded schema. `$id` is dropped for the same reason: a
 * draft-07 tool would resolve the rewritten references against it.
 *
 * The walk is keyword-aware: a property *named* `$ref` or `items` is data, not a keyword.
 * Keywords draft-07 cannot express (`unevaluatedProperties`, `$dynamicRef`, …) throw rather than
 * silently loosening the contract.
 */

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
export const DRAFT_07_SCHEMA_FORMAT = 'application/schema+json;version=draft-07';

/** Keywords whose value is a map of name → subschema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is an array of subschemas. */
const SCHEMA_ARRAYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value is one subschema. */
const SCHEMA_SINGLE = new Set(['not', 'if', 'then', 'else', 'contains', 'propertyNames', 'additionalProperties', 'additionalItems']);
/** 2019-09 / 2020-12 keywords with no draft-07 equivalent. */
const UNSUPPORTED = new Set([
  'unevaluatedProperties',
  'unevaluatedItems',
  '$dynamicRef',
  '$dynamicAnchor',
  '$recursiveRef',
  '$recursiveAnchor',
  '$anchor',
  '$vocabulary',
  'minContains',
  'maxContains',
  'contentSchema',
]);

export class SchemaConversionError extends Error {
  constructor(message: string, readonly pointer: string) {
    super(`${message} (at ${pointer || '/'})`);
    this.name = 'SchemaConversionError';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const decodeSegment = (s: string): string => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~');
const encodeSegment = (s: string): string => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'));

/**
 * @param schema a draft 2020-12 schema (not modified)
 * @param base   URI fragment of where the result is embedded, e.g. `#/components/messages/m/payload/schema`
 */
export function toDraft07(schema: Record<string, unknown>, base: string): Record<string, unknown> {
  if (!base.startsWith('#')) throw new SchemaConversionError(`base must be a URI fragment, got "${base}"`, '');
  const root = schema as JsonObject;
  const out = convert(root, root, base, '', true);
  return out as Record<string, unknown>;
}

function convert(node: Json, root: JsonObject, base: string, at: string, isRoot = false): Json {
  if (typeof node === 'boolean') return node;
  if (!isObject(node)) throw new SchemaConversionError('a schema must be an object or a boolean', at);
  const out: JsonObject = {};
  const ref = node.$ref;
  const siblings = Object.keys(node).filter((k) => k !== '$ref' && k !== '$comment');
  for (const [key, value] of Object.entries(node)) {
    const here = `${at}/${key}`;
    if (UNSUPPORTED.has(key)) throw new SchemaConversionError(`"${key}" has no draft-07 equivalent`, here);
    switch (key) {
      case '$schema':
        if (isRoot) out.$schema = DRAFT_07;
        else throw new SchemaConversionError('"$schema" is only supported at the root', here);
        break;
      case '$id':
        if (!isRoot) throw new SchemaConversionError('nested "$id" is not supported', here);
        break; // dropped: see the file comment
      case '$ref':
        break; // below
      case '$defs':
      case 'definitions':
        out.definitions = { ...(isObject(out.definitions) ? out.definitions : {}), ...convertMap(value, root, base, here) };
        break;
      case 'dependentRequired':
      case 'dependentSchemas': {
        const converted = key === 'dependentRequired' ? value : convertMap(value, root, base, here);
        if (!isObject(converted)) throw new SchemaConversionError(`"${key}" must be an object`, here);
        const deps: JsonObject = isObject(out.dependencies) ? out.dependencies : {};
        for (const [name, dep] of Object.entries(converted)) {
          if (name in deps) throw new SchemaConversionError(`"${name}" is in both dependentRequired and dependentSchemas`, here);
          deps[name] = dep;
        }
        out.dependencies = deps;
        break;
      }
      case 'dependencies':
        throw new SchemaConversionError('"dependencies" is not a 2020-12 keyword (use dependentRequired/dependentSchemas)', here);
      case 'prefixItems':
        out.items = convertArray(value, root, base, here);
        break;
      case 'items':
        if (Array.isArray(value)) throw new SchemaConversionError('array-form "items" is not 2020-12 (use prefixItems)', here);
        if ('prefixItems' in node) out.additionalItems = convert(value, root, base, here);
        else out.items = convert(value, root, base, here);
        break;
      default:
        if (SCHEMA_MAPS.has(key)) out[key] = convertMap(value, root, base, here);
        else if (SCHEMA_ARRAYS.has(key)) out[key] = convertArray(value, root, base, here);
        else if (SCHEMA_SINGLE.has(key)) out[key] = convert(value, root, base, here);
        else out[key] = structuredClone(value); // enum, const, required, examples, description, …
    }
  }
  if (ref === undefined) return out;
  if (typeof ref !== 'string') throw new SchemaConversionError('"$ref" must be a string', `${at}/$ref`);
  const target = { $ref: rewriteRef(ref, root, base, `${at}/$ref`) };
  if (siblings.length === 0) return { ...out, ...target };
  // draft-07 ignores every sibling of $ref; 2020-12 applies them. allOf keeps both.
  const allOf = Array.isArray(out.allOf) ? out.allOf : [];
  return { ...out, allOf: [target, ...allOf] };
}

function convertMap(value: Json, root: JsonObject, base: string, at: string): JsonObject {
  if (!isObject(value)) throw new SchemaConversionError('expected an object of schemas', at);
  const out: JsonObject = {};
  for (const [name, sub] of Object.entries(value)) out[name] = convert(sub, root, base, `${at}/${name}`);
  return out;
}

function convertArray(value: Json, root: JsonObject, base: string, at: string): Json[] {
  if (!Array.isArray(value)) throw new SchemaConversionError('expected an array of schemas', at);
  return value.map((sub, i) => convert(sub, root, base, `${at}/${i}`));
}

/**
 * Maps a local reference of the 2020-12 schema onto the converted one, segment by segment, walking
 * the original so that keyword renames ($defs → definitions, prefixItems → items, …) apply to
 * keywords only.
 */
function rewriteRef(ref: string, root: JsonObject, base: string, at: string): string {
  if (!ref.startsWith('#')) throw new SchemaConversionError(`only local references can be embedded, got "${ref}"`, at);
  if (ref === '#') return base;
  if (!ref.startsWith('#/')) throw new SchemaConversionError(`anchors are not supported, got "${ref}"`, at);
  const segments = ref.slice(2).split('/').map(decodeSegment);
  const mapped: string[] = [];
  let node: Json = root;
  let i = 0;
  while (i < segments.length) {
    const keyword = segments[i];
    if (!isObject(node) || !(keyword in node)) throw new SchemaConversionError(`reference "${ref}" does not resolve`, at);
    const value: Json = node[keyword];
    if (SCHEMA_MAPS.has(keyword) || keyword === 'dependentSchemas') {
      const name = segments[i + 1];
      if (name === undefined || !isObject(value) || !(name in value)) throw new SchemaConversionError(`reference "${ref}" does not resolve`, at);
      const renamed = keyword === '$defs' ? 'definitions' : keyword === 'dependentSchemas' ? 'dependencies' : keyword;
      mapped.push(renamed, name);
      node = value[name];
      i += 2;
    } else if (SCHEMA_ARRAYS.has(keyword)) {
      const index = Number(segments[i + 1]);
      if (!Array.isArray(value) || !Number.isInteger(index) || value[index] === undefined) {
        throw new SchemaConversionError(`reference "${ref}" does not resolve`, at);
      }
      if (keyword !== 'prefixItems' && isObject(node) && typeof node.$ref === 'string' && Object.keys(node).some((k) => k !== '$ref' && k !== '$comment')) {
        // the $ref became allOf[0]: the original allOf entries moved up by one
        mapped.push(keyword, String(keyword === 'allOf' ? index + 1 : index));
      } else {
        mapped.push(keyword === 'prefixItems' ? 'items' : keyword, String(index));
      }
      node = value[index];
      i += 2;
    } else if (keyword === 'items' || SCHEMA_SINGLE.has(keyword)) {
      const renamed = keyword === 'items' && isObject(node) && 'prefixItems' in node ? 'additionalItems' : keyword;
      mapped.push(renamed);
      node = value;
      i += 1;
    } else {
      throw new SchemaConversionError(`reference "${ref}" points into "${keyword}", which is not a subschema`, at);
    }
  }
  return `${base}/${mapped.map(encodeSegment).join('/')}`;
}

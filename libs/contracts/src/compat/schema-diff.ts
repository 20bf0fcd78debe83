import type { SchemaChange } from './schema-change';

/**
 * Structural diff of two JSON Schemas (draft 2020-12, with the draft-07 tuple form of `items`),
 * classifying every difference for both directions. Pure: no I/O.
 *
 * The question behind every rule is the one Confluent Schema Registry asks for JSON Schema: which
 * *data* does each schema accept? A change "narrows" when some value valid under the old schema is
 * invalid under the new one (breaks BACKWARD: readers on the new schema reject old data), and
 * "widens" when some value valid under the new schema is invalid under the old one (breaks FORWARD:
 * readers on the old schema reject new data). Validation keywords are conjuncts, so each keyword can
 * be judged on its own, except the groups that interact (properties / patternProperties /
 * additionalProperties, prefixItems / items, if / then / else), which are judged together.
 *
 * Conservative by design: a change the engine cannot prove safe in a direction is reported as
 * breaking in that direction, and the message says so. It may report a break that no real value
 * triggers (e.g. a regex change that happens to be equivalent); it must never miss one.
 */
export function diffSchemas(oldSchema: object, newSchema: object): SchemaChange[] {
  const differ = new Differ(oldSchema, newSchema);
  differ.compare(oldSchema, newSchema, { pointer: '', negated: false, inOneOf: false, stack: [], depth: 0 });
  const seen = new Set<string>();
  return differ.out.filter((change) => {
    const key = `${change.kind}\u0000${change.pointer}\u0000${change.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

type Obj = Record<string, unknown>;

interface Frame {
  /** Where we are, through inlined $refs. */
  pointer: string;
  /** Inside an odd number of `not`: narrowing and widening swap. */
  negated: boolean;
  /** Inside a oneOf branch: any change with an effect may break both ways. */
  inOneOf: boolean;
  /** The innermost $ref followed to get here, for messages. */
  via?: string;
  /** $ref pairs being compared on this path, to stop on recursive schemas. */
  stack: readonly string[];
  depth: number;
}

const MAX_DEPTH = 64;

/** Keywords that do not change which values are valid. */
const ANNOTATIONS: Readonly<Record<string, string>> = {
  title: 'TITLE_CHANGED',
  description: 'DESCRIPTION_CHANGED',
  $comment: 'COMMENT_CHANGED',
  examples: 'EXAMPLES_CHANGED',
  default: 'DEFAULT_CHANGED',
  deprecated: 'DEPRECATED_CHANGED',
  readOnly: 'READ_ONLY_CHANGED',
  writeOnly: 'WRITE_ONLY_CHANGED',
  $id: 'ID_CHANGED',
  $anchor: 'ANCHOR_CHANGED',
  contentMediaType: 'CONTENT_MEDIA_TYPE_CHANGED',
  contentEncoding: 'CONTENT_ENCODING_CHANGED',
  contentSchema: 'CONTENT_SCHEMA_CHANGED',
};

/** Not compared where they stand: definitions are compared where a $ref uses them. */
const SKIPPED = new Set(['$defs', 'definitions', '$ref', '$vocabulary']);

const LOWER_BOUNDS: Readonly<Record<string, number>> = {
  minimum: -Infinity,
  exclusiveMinimum: -Infinity,
  minLength: 0,
  minItems: 0,
  minProperties: 0,
};
const UPPER_BOUNDS: Readonly<Record<string, number>> = {
  maximum: Infinity,
  exclusiveMaximum: Infinity,
  maxLength: Infinity,
  maxItems: Infinity,
  maxProperties: Infinity,
};

/** Keywords with a rule of their own below; anything else falls to the generic (conservative) rule. */
const HANDLED = new Set([
  ...Object.keys(LOWER_BOUNDS),
  ...Object.keys(UPPER_BOUNDS),
  '$schema',
  'type',
  'enum',
  'const',
  'multipleOf',
  'pattern',
  'format',
  'uniqueItems',
  'required',
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'dependentRequired',
  'dependentSchemas',
  'prefixItems',
  'items',
  'additionalItems',
  'unevaluatedItems',
  'contains',
  'minContains',
  'maxContains',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
]);

const APPLICATORS = ['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas', '$ref', '$dynamicRef'];

const JSON_TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function has(obj: Obj, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** JSON with sorted keys: equal values give equal strings. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (isObj(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function same(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function snake(keyword: string): string {
  return keyword.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

function getByPointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    let token: string;
    try {
      token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObj(node) && has(node, token)) node = node[token];
    else return undefined;
  }
  return node;
}

interface Resolved {
  /** `{}` for `true`; `false` stays false. */
  schema: Obj | false;
  /** The local $refs followed, outermost first. */
  refs: string[];
  /** A $ref that could not be followed (not local, or dangling). */
  unresolved?: string;
}

/**
 * Follows local $refs (`#/$defs/x`, any `#/json/pointer`). A 2020-12 $ref applies alongside its
 * sibling keywords; when the siblings are annotations only (the usual `description` + `$ref`), or
 * do not clash with the target, the two are merged into one schema, else the target becomes an
 * extra allOf conjunct, which is the same thing for validation.
 */
function resolve(node: unknown, root: unknown): Resolved {
  const refs: string[] = [];
  let current: unknown = node;
  for (let hops = 0; hops < 32; hops++) {
    if (!isObj(current) || typeof current.$ref !== 'string') break;
    const ref = current.$ref;
    const target = ref.startsWith('#') ? getByPointer(root, ref.slice(1)) : undefined;
    if (!(typeof target === 'boolean' || isObj(target))) return { schema: normalize(current), refs, unresolved: ref };
    refs.push(ref);
    const siblings: Obj = { ...current };
    delete siblings.$ref;
    current = mergeRef(target, siblings);
  }
  if (isObj(current) && typeof current.$ref === 'string') return { schema: normalize(current), refs, unresolved: current.$ref };
  return { schema: normalize(current), refs };
}

function normalize(node: unknown): Obj | false {
  if (node === false) return false;
  if (isObj(node)) return node;
  return {}; // true, and anything that is not a schema (treated as no constraint)
}

function mergeRef(target: boolean | Obj, siblings: Obj): unknown {
  if (Object.keys(siblings).length === 0) return target;
  if (target === false) return false;
  if (target === true) return siblings;
  const clash = Object.keys(siblings).some((k) => has(target, k) && !has(ANNOTATIONS, k) && !SKIPPED.has(k));
  if (!clash) return { ...target, ...siblings };
  const allOf = Array.isArray(siblings.allOf) ? siblings.allOf : [];
  return { ...siblings, allOf: [...allOf, target] };
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function typesOf(schema: Obj): Set<string> | undefined {
  if (typeof schema.type === 'string') return new Set([schema.type]);
  if (Array.isArray(schema.type)) return new Set(stringsOf(schema.type));
  return undefined; // any type
}

function typeCovered(type: string, set: Set<string> | undefined): boolean {
  return set === undefined || set.has(type) || (type === 'integer' && set.has('number'));
}

/** The values an `enum`/`const` pair allows; undefined when neither keyword is present. */
function valuesOf(schema: Obj): unknown[] | undefined {
  const hasConst = has(schema, 'const');
  if (Array.isArray(schema.enum)) {
    return hasConst ? schema.enum.filter((v) => same(v, schema.const)) : schema.enum;
  }
  return hasConst ? [schema.const] : undefined;
}

function safeRegExp(source: string): RegExp | undefined {
  try {
    return new RegExp(source, 'u');
  } catch {
    return undefined;
  }
}

type ContentModel = 'open' | 'closed' | 'partially open' | 'unknown';

/**
 * The schema a property name falls under when an object schema does not declare it in
 * `properties` (Confluent's open / closed / partially open content model).
 */
function contentModelFor(schema: Obj, name: string, root: unknown): { model: ContentModel; schema: unknown } {
  if (isObj(schema.patternProperties)) {
    const matching: unknown[] = [];
    for (const [pattern, sub] of Object.entries(schema.patternProperties)) {
      const re = safeRegExp(pattern);
      if (!re) return { model: 'unknown', schema: true };
      if (re.test(name)) matching.push(sub);
    }
    if (matching.length > 0) return { model: 'partially open', schema: matching.length === 1 ? matching[0] : { allOf: matching } };
  }
  let rest: unknown = schema.additionalProperties;
  if (rest === undefined && has(schema, 'unevaluatedProperties')) {
    // unevaluatedProperties also sees names evaluated by subschemas: only exact without applicators.
    if (APPLICATORS.some((k) => has(schema, k))) return { model: 'unknown', schema: true };
    rest = schema.unevaluatedProperties;
  }
  if (rest === undefined) return { model: 'open', schema: true };
  const resolved = resolve(rest, root);
  if (resolved.unresolved) return { model: 'unknown', schema: true };
  if (resolved.schema === false) return { model: 'closed', schema: false };
  if (Object.keys(resolved.schema).every((k) => has(ANNOTATIONS, k))) return { model: 'open', schema: true };
  return { model: 'partially open', schema: rest };
}

/** Pairs subschemas of two lists: identical ones first, then the rest in order. */
function pairSubschemas(oldList: unknown[], newList: unknown[]): { pairs: Array<[number, number]>; removed: number[]; added: number[] } {
  const newLeft = new Set(newList.map((_, i) => i));
  const pairs: Array<[number, number]> = [];
  const oldLeft: number[] = [];
  oldList.forEach((sub, i) => {
    const match = [...newLeft].find((j) => same(sub, newList[j]));
    if (match === undefined) oldLeft.push(i);
    else {
      pairs.push([i, match]);
      newLeft.delete(match);
    }
  });
  const newRest = [...newLeft];
  const n = Math.min(oldLeft.length, newRest.length);
  for (let k = 0; k < n; k++) pairs.push([oldLeft[k], newRest[k]]);
  return { pairs: pairs.sort((a, b) => a[1] - b[1]), removed: oldLeft.slice(n), added: newRest.slice(n) };
}

class Differ {
  readonly out: SchemaChange[] = [];

  constructor(
    private readonly oldRoot: unknown,
    private readonly newRoot: unknown,
  ) {}

  private emit(frame: Frame, pointer: string, kind: string, narrows: boolean, widens: boolean, message: string): void {
    let backward = frame.negated ? widens : narrows;
    let forward = frame.negated ? narrows : widens;
    let text = message;
    if (frame.negated && (backward || forward)) text += ' (inside "not", so its effect is inverted)';
    if (frame.inOneOf && (backward || forward)) {
      backward = true;
      forward = true;
      text += '; inside a oneOf branch, where making one branch wider or narrower can make a value match two branches or none, so it is treated as breaking both ways';
    }
    if (frame.via) text += ` [via ${frame.via}]`;
    this.out.push({ kind, pointer, breaksBackward: backward, breaksForward: forward, message: text });
  }

  /** Compares in a fresh context and returns the raw classification (no not/oneOf adjustment). */
  private sub(oldNode: unknown, newNode: unknown, frame: Frame): SchemaChange[] {
    const differ = new Differ(this.oldRoot, this.newRoot);
    differ.compare(oldNode, newNode, { ...frame, negated: false, inOneOf: false, via: undefined });
    return differ.out;
  }

  /** Re-emits raw changes from `sub` under this frame's not/oneOf adjustments. */
  private replay(frame: Frame, changes: SchemaChange[]): void {
    for (const c of changes) this.emit({ ...frame, via: undefined }, c.pointer, c.kind, c.breaksBackward, c.breaksForward, c.message);
  }

  compare(oldNode: unknown, newNode: unknown, frame: Frame): void {
    if (frame.depth > MAX_DEPTH) {
      if (!same(oldNode, newNode)) this.emit(frame, frame.pointer, 'NESTING_TOO_DEEP', true, true, `schemas nest deeper than ${MAX_DEPTH} levels here; not analysed, treated as breaking`);
      return;
    }
    const o = resolve(oldNode, this.oldRoot);
    const n = resolve(newNode, this.newRoot);
    let next: Frame = { ...frame, depth: frame.depth + 1 };
    if (o.refs.length > 0 || n.refs.length > 0) {
      const key = `${o.refs.join(' ')}|${n.refs.join(' ')}`;
      if (frame.stack.includes(key)) return; // recursive schema: this pair is already being compared further up
      next = { ...next, stack: [...frame.stack, key], via: n.refs[n.refs.length - 1] ?? o.refs[o.refs.length - 1] };
    }
    if (o.unresolved !== undefined || n.unresolved !== undefined) {
      if (!same(oldNode, newNode) || o.unresolved !== n.unresolved) {
        this.emit(next, frame.pointer, 'REF_UNRESOLVED', true, true, `$ref ${o.unresolved ?? n.unresolved} cannot be followed (not a local #/ reference, or dangling), so the change cannot be proven safe`);
      }
      return;
    }
    const os = o.schema;
    const ns = n.schema;
    if (os === false && ns === false) return;
    if (os === false) {
      this.emit(next, frame.pointer, 'FALSE_SCHEMA_RELAXED', false, true, 'was `false` (nothing valid), now a schema that accepts values');
      return;
    }
    if (ns === false) {
      this.emit(next, frame.pointer, 'SCHEMA_SET_TO_FALSE', true, false, 'is now `false`: no value is valid here any more');
      return;
    }
    this.compareObjects(os, ns, next);
  }

  private compareObjects(o: Obj, n: Obj, f: Frame): void {
    const at = (suffix: string): string => `${f.pointer}${suffix}`;

    for (const [keyword, kind] of Object.entries(ANNOTATIONS)) {
      if ((has(o, keyword) || has(n, keyword)) && !same(o[keyword], n[keyword])) {
        this.emit(f, at(`/${keyword}`), kind, false, false, `${keyword} changed (annotation only, no effect on validation)`);
      }
    }
    if (!same(o.$schema, n.$schema)) {
      this.emit(f, at('/$schema'), 'DIALECT_CHANGED', true, true, `$schema changed from ${show(o.$schema)} to ${show(n.$schema)}: keywords may mean different things, so the change cannot be proven safe`);
    }

    this.compareType(o, n, f);
    this.compareValues(o, n, f);
    this.compareBounds(o, n, f);
    this.compareStringAndNumberKeywords(o, n, f);
    this.compareObjectKeywords(o, n, f);
    this.compareArrayKeywords(o, n, f);
    this.compareCombinators(o, n, f);
    this.compareConditional(o, n, f);

    for (const keyword of new Set([...Object.keys(o), ...Object.keys(n)])) {
      if (HANDLED.has(keyword) || SKIPPED.has(keyword) || has(ANNOTATIONS, keyword)) continue;
      if (same(o[keyword], n[keyword])) continue;
      if (!has(n, keyword)) {
        this.emit(f, at(`/${escapeToken(keyword)}`), 'KEYWORD_REMOVED', false, true, `keyword "${keyword}" removed; not analysed, treated as a relaxation`);
      } else if (!has(o, keyword)) {
        this.emit(f, at(`/${escapeToken(keyword)}`), 'KEYWORD_ADDED', true, false, `keyword "${keyword}" added; not analysed, treated as a new constraint`);
      } else {
        this.emit(f, at(`/${escapeToken(keyword)}`), 'KEYWORD_CHANGED', true, true, `keyword "${keyword}" changed; not analysed, so it cannot be proven safe either way`);
      }
    }
  }

  private compareType(o: Obj, n: Obj, f: Frame): void {
    if (same(o.type, n.type)) return;
    const ot = typesOf(o);
    const nt = typesOf(n);
    const lost = ot === undefined ? JSON_TYPES.filter((t) => !typeCovered(t, nt)) : [...ot].filter((t) => !typeCovered(t, nt));
    const gained = nt === undefined ? JSON_TYPES.filter((t) => !typeCovered(t, ot)) : [...nt].filter((t) => !typeCovered(t, ot));
    const narrows = lost.length > 0;
    const widens = gained.length > 0;
    const kind = narrows && widens ? 'TYPE_CHANGED' : narrows ? 'TYPE_NARROWED' : widens ? 'TYPE_EXTENDED' : 'TYPE_REWRITTEN';
    const detail = [lost.length ? `no longer accepts ${lost.join(', ')}` : '', gained.length ? `now also accepts ${gained.join(', ')}` : ''].filter(Boolean).join('; ');
    this.emit(f, `${f.pointer}/type`, kind, narrows, widens, `type ${show(o.type ?? 'any')} → ${show(n.type ?? 'any')}${detail ? `: ${detail}` : ' (same set of types)'}`);
  }

  private compareValues(o: Obj, n: Obj, f: Frame): void {
    if (same(o.enum, n.enum) && same(o.const, n.const)) return;
    const ov = valuesOf(o);
    const nv = valuesOf(n);
    const onlyConst = !has(o, 'enum') && !has(n, 'enum');
    const pointer = `${f.pointer}/${has(n, 'enum') || (!has(n, 'const') && has(o, 'enum')) ? 'enum' : 'const'}`;
    if (ov === undefined && nv === undefined) return;
    if (ov === undefined) {
      this.emit(f, pointer, onlyConst ? 'CONST_ADDED' : 'ENUM_ADDED', true, false, `now restricted to ${show(nv)}`);
      return;
    }
    if (nv === undefined) {
      this.emit(f, pointer, onlyConst ? 'CONST_REMOVED' : 'ENUM_REMOVED', false, true, `no longer restricted to ${show(ov)}`);
      return;
    }
    const removed = ov.filter((v) => !nv.some((w) => same(v, w)));
    const added = nv.filter((v) => !ov.some((w) => same(v, w)));
    const narrows = removed.length > 0;
    const widens = added.length > 0;
    const kind = onlyConst ? (narrows || widens ? 'CONST_CHANGED' : 'CONST_REWRITTEN') : narrows && widens ? 'ENUM_CHANGED' : narrows ? 'ENUM_NARROWED' : widens ? 'ENUM_EXTENDED' : 'ENUM_REWRITTEN';
    const detail = [removed.length ? `removed ${removed.map(show).join(', ')}` : '', added.length ? `added ${added.map(show).join(', ')}` : ''].filter(Boolean).join('; ');
    this.emit(f, pointer, kind, narrows, widens, detail ? `allowed values: ${detail}` : 'allowed values rewritten, same set');
  }

  private compareBounds(o: Obj, n: Obj, f: Frame): void {
    const bound = (keyword: string, absent: number, lower: boolean): void => {
      if (same(o[keyword], n[keyword])) return;
      const pointer = `${f.pointer}/${keyword}`;
      const ov = o[keyword];
      const nv = n[keyword];
      if ((ov !== undefined && typeof ov !== 'number') || (nv !== undefined && typeof nv !== 'number')) {
        this.emit(f, pointer, `${snake(keyword)}_CHANGED`, true, true, `${keyword} changed from ${show(ov)} to ${show(nv)} (not a number; cannot be compared)`);
        return;
      }
      const a = ov ?? absent;
      const b = nv ?? absent;
      const tighter = lower ? b > a : b < a;
      const looser = lower ? b < a : b > a;
      const kind = `${snake(keyword)}_${ov === undefined ? 'ADDED' : nv === undefined ? 'REMOVED' : b > a ? 'INCREASED' : b < a ? 'DECREASED' : 'REWRITTEN'}`;
      const effect = tighter ? 'tighter: some values valid before are now rejected' : looser ? 'looser: values the old schema rejects are now valid' : 'same effect';
      this.emit(f, pointer, kind, tighter, looser, `${keyword} ${show(ov ?? 'none')} → ${show(nv ?? 'none')}, ${effect}`);
    };
    for (const [k, absent] of Object.entries(LOWER_BOUNDS)) bound(k, absent, true);
    for (const [k, absent] of Object.entries(UPPER_BOUNDS)) bound(k, absent, false);
    // minContains defaults to 1 and only counts with `contains`.
    if (has(o, 'contains') || has(n, 'contains')) {
      bound('minContains', 1, true);
      bound('maxContains', Infinity, false);
    }
  }

  private compareStringAndNumberKeywords(o: Obj, n: Obj, f: Frame): void {
    if (!same(o.multipleOf, n.multipleOf)) {
      const pointer = `${f.pointer}/multipleOf`;
      const a = o.multipleOf;
      const b = n.multipleOf;
      if (a === undefined) this.emit(f, pointer, 'MULTIPLE_OF_ADDED', true, false, `must now be a multiple of ${show(b)}`);
      else if (b === undefined) this.emit(f, pointer, 'MULTIPLE_OF_REMOVED', false, true, `no longer needs to be a multiple of ${show(a)}`);
      else if (typeof a === 'number' && typeof b === 'number' && Number.isInteger(a / b)) {
        this.emit(f, pointer, 'MULTIPLE_OF_REDUCED', false, true, `multipleOf ${a} → ${b}: every multiple of ${a} is a multiple of ${b}, so this only admits more values`);
      } else if (typeof a === 'number' && typeof b === 'number' && Number.isInteger(b / a)) {
        this.emit(f, pointer, 'MULTIPLE_OF_EXPANDED', true, false, `multipleOf ${a} → ${b}: only multiples of ${b} remain valid`);
      } else {
        this.emit(f, pointer, 'MULTIPLE_OF_CHANGED', true, true, `multipleOf ${show(a)} → ${show(b)}: neither divides the other`);
      }
    }
    for (const keyword of ['pattern', 'format']) {
      if (same(o[keyword], n[keyword])) continue;
      const pointer = `${f.pointer}/${keyword}`;
      const name = keyword.toUpperCase();
      if (o[keyword] === undefined) {
        this.emit(f, pointer, `${name}_ADDED`, true, false, `${keyword} ${show(n[keyword])} added: strings that do not match are now rejected`);
      } else if (n[keyword] === undefined) {
        this.emit(f, pointer, `${name}_REMOVED`, false, true, `${keyword} ${show(o[keyword])} removed: strings the old schema rejects are now valid`);
      } else {
        this.emit(f, pointer, `${name}_CHANGED`, true, true, `${keyword} ${show(o[keyword])} → ${show(n[keyword])}: the engine does not prove one ${keyword} contains the other, so any change counts as breaking both ways`);
      }
    }
    const ou = o.uniqueItems === true;
    const nu = n.uniqueItems === true;
    if (ou !== nu) {
      this.emit(f, `${f.pointer}/uniqueItems`, nu ? 'UNIQUE_ITEMS_ADDED' : 'UNIQUE_ITEMS_REMOVED', nu, ou, nu ? 'items must now be unique' : 'items no longer need to be unique');
    }
  }

  private compareObjectKeywords(o: Obj, n: Obj, f: Frame): void {
    const oProps = isObj(o.properties) ? o.properties : {};
    const nProps = isObj(n.properties) ? n.properties : {};
    const oReq = new Set(stringsOf(o.required));
    const nReq = new Set(stringsOf(n.required));
    const propPointer = (name: string): string => `${f.pointer}/properties/${escapeToken(name)}`;

    for (const name of new Set([...Object.keys(oProps), ...Object.keys(nProps)])) {
      const inOld = has(oProps, name);
      const inNew = has(nProps, name);
      const pointer = propPointer(name);
      if (inOld && inNew) {
        this.compare(oProps[name], nProps[name], { ...f, pointer });
      } else {
        this.declaredOnOneSide(o, n, name, inOld, oProps[name], nProps[name], oReq.has(name), nReq.has(name), { ...f, pointer });
      }
    }

    for (const name of new Set([...oReq, ...nReq])) {
      if (oReq.has(name) === nReq.has(name)) continue;
      if (has(oProps, name) !== has(nProps, name)) continue; // reported with the property itself
      if (nReq.has(name)) {
        this.emit(f, propPointer(name), 'REQUIRED_ATTRIBUTE_ADDED', true, false, `"${name}" is now required: data without it, valid before, is rejected`);
      } else {
        this.emit(f, propPointer(name), 'REQUIRED_ATTRIBUTE_REMOVED', false, true, `"${name}" is no longer required: new data may omit it, which readers on the old schema reject`);
      }
    }

    const oPat = isObj(o.patternProperties) ? o.patternProperties : {};
    const nPat = isObj(n.patternProperties) ? n.patternProperties : {};
    for (const pattern of new Set([...Object.keys(oPat), ...Object.keys(nPat)])) {
      const pointer = `${f.pointer}/patternProperties/${escapeToken(pattern)}`;
      // A pattern's names fall to additionalProperties on the side that lacks the pattern
      // (overlaps with other patterns are not modelled).
      const oSide = has(oPat, pattern) ? oPat[pattern] : (o.additionalProperties ?? true);
      const nSide = has(nPat, pattern) ? nPat[pattern] : (n.additionalProperties ?? true);
      if (!has(oPat, pattern) || !has(nPat, pattern)) {
        const changes = this.sub(oSide, nSide, { ...f, pointer });
        const narrows = changes.some((c) => c.breaksBackward);
        const widens = changes.some((c) => c.breaksForward);
        const kind = has(nPat, pattern) ? 'PATTERN_PROPERTY_ADDED' : 'PATTERN_PROPERTY_REMOVED';
        this.emit(f, pointer, kind, narrows, widens, `patternProperties ${show(pattern)} ${has(nPat, pattern) ? 'added' : 'removed'}; names matching it were (are now) governed by additionalProperties (overlapping patterns are not modelled)`);
        this.replay(f, changes);
      } else {
        this.compare(oSide, nSide, { ...f, pointer });
      }
    }

    for (const keyword of ['additionalProperties', 'unevaluatedProperties']) {
      if (!has(o, keyword) && !has(n, keyword)) continue;
      const pointer = `${f.pointer}/${keyword}`;
      const oldRest = resolve(o[keyword] ?? true, this.oldRoot).schema;
      const newRest = resolve(n[keyword] ?? true, this.newRoot).schema;
      if (oldRest === false && newRest !== false) {
        this.emit(f, pointer, 'CONTENT_MODEL_OPENED', false, true, `${keyword} was false (closed object), now allows undeclared properties: readers on the old schema reject them`);
      } else if (oldRest !== false && newRest === false) {
        this.emit(f, pointer, 'CONTENT_MODEL_CLOSED', true, false, `${keyword} is now false (closed object): data with undeclared properties, valid before, is rejected`);
      } else {
        this.compare(o[keyword] ?? true, n[keyword] ?? true, { ...f, pointer });
      }
    }

    if (has(o, 'propertyNames') || has(n, 'propertyNames')) {
      this.compare(o.propertyNames ?? true, n.propertyNames ?? true, { ...f, pointer: `${f.pointer}/propertyNames` });
    }

    const oDep = isObj(o.dependentRequired) ? o.dependentRequired : {};
    const nDep = isObj(n.dependentRequired) ? n.dependentRequired : {};
    for (const name of new Set([...Object.keys(oDep), ...Object.keys(nDep)])) {
      const a = new Set(stringsOf(oDep[name]));
      const b = new Set(stringsOf(nDep[name]));
      const added = [...b].filter((x) => !a.has(x));
      const removed = [...a].filter((x) => !b.has(x));
      if (added.length === 0 && removed.length === 0) continue;
      const kind = added.length && removed.length ? 'DEPENDENT_REQUIRED_CHANGED' : added.length ? 'DEPENDENT_REQUIRED_EXTENDED' : 'DEPENDENT_REQUIRED_NARROWED';
      this.emit(
        f,
        `${f.pointer}/dependentRequired/${escapeToken(name)}`,
        kind,
        added.length > 0,
        removed.length > 0,
        `when "${name}" is present: ${[added.length ? `now also requires ${added.join(', ')}` : '', removed.length ? `no longer requires ${removed.join(', ')}` : ''].filter(Boolean).join('; ')}`,
      );
    }

    const oDs = isObj(o.dependentSchemas) ? o.dependentSchemas : {};
    const nDs = isObj(n.dependentSchemas) ? n.dependentSchemas : {};
    for (const name of new Set([...Object.keys(oDs), ...Object.keys(nDs)])) {
      this.compare(has(oDs, name) ? oDs[name] : true, has(nDs, name) ? nDs[name] : true, { ...f, pointer: `${f.pointer}/dependentSchemas/${escapeToken(name)}` });
    }
  }

  /** A property declared in `properties` on one side only: judged against the other side's content model. */
  private declaredOnOneSide(o: Obj, n: Obj, name: string, removed: boolean, oldProp: unknown, newProp: unknown, oldRequired: boolean, newRequired: boolean, f: Frame): void {
    const requiredAdded = newRequired && !oldRequired;
    const requiredRemoved = oldRequired && !newRequired;
    const other = removed ? contentModelFor(n, name, this.newRoot) : contentModelFor(o, name, this.oldRoot);
    const changes = removed ? this.sub(oldProp, other.schema, f) : this.sub(other.schema, newProp, f);
    const valueNarrows = changes.some((c) => c.breaksBackward);
    const valueWidens = changes.some((c) => c.breaksForward);
    const model = other.model;
    const unknown = model === 'unknown';
    const narrows = unknown || requiredAdded || valueNarrows;
    const widens = unknown || requiredRemoved || valueWidens;
    const modelCode = model === 'partially open' ? 'PARTIALLY_OPEN' : model === 'unknown' ? 'UNKNOWN' : model.toUpperCase();

    let kind: string;
    const reasons: string[] = [];
    if (removed) {
      kind = `${oldRequired ? 'REQUIRED_' : ''}PROPERTY_REMOVED_FROM_${modelCode}_CONTENT_MODEL`;
      reasons.push(`property "${name}" removed from a ${model} object`);
      if (model === 'closed' && valueNarrows) reasons.push(`data that carries "${name}", valid before, is now rejected`);
      if (model === 'open' && valueWidens) reasons.push(`"${name}" is now unconstrained, so new data may carry a value readers on the old schema reject`);
      if (model === 'partially open') reasons.push(`"${name}" now falls under ${other.schema === n.additionalProperties ? 'additionalProperties' : 'patternProperties'} (see the changes below)`);
      if (requiredRemoved) reasons.push(`it was required, so new data may omit it, which readers on the old schema reject`);
    } else {
      kind = `${newRequired ? 'REQUIRED' : 'OPTIONAL'}_PROPERTY_ADDED_TO_${modelCode}_CONTENT_MODEL`;
      reasons.push(`property "${name}" added to a ${model === 'unknown' ? 'possibly open' : model} object`);
      if (model === 'closed' && valueWidens) reasons.push(`readers on the old schema reject data that carries it`);
      if (model === 'open' && valueNarrows) reasons.push(`old data may already carry a "${name}" of another shape (open content model), which is now rejected`);
      if (model === 'partially open') reasons.push(`it was covered by ${other.schema === o.additionalProperties ? 'additionalProperties' : 'patternProperties'} before (see the changes below)`);
      if (requiredAdded) reasons.push(`it is required, so data without it, valid before, is rejected`);
    }
    if (unknown) reasons.push('the content model could not be determined (unevaluatedProperties next to applicators, or an unusable pattern), so it is treated as breaking both ways');
    if (!narrows && !widens) reasons.push('no data changes validity');
    this.emit(f, f.pointer, kind, narrows, widens, reasons.join('; '));
    if (model === 'partially open') this.replay(f, changes);
  }

  private compareArrayKeywords(o: Obj, n: Obj, f: Frame): void {
    // draft 2020-12: prefixItems + items; draft-07: items (array) + additionalItems.
    const tuple = (s: Obj): { prefix: unknown[]; rest: unknown; restKeyword: string } =>
      Array.isArray(s.items)
        ? { prefix: s.items, rest: s.additionalItems ?? true, restKeyword: 'additionalItems' }
        : { prefix: Array.isArray(s.prefixItems) ? s.prefixItems : [], rest: s.items ?? true, restKeyword: 'items' };
    const ot = tuple(o);
    const nt = tuple(n);
    const prefixKeyword = Array.isArray(n.items) || Array.isArray(o.items) ? 'items' : 'prefixItems';
    for (let i = 0; i < Math.max(ot.prefix.length, nt.prefix.length); i++) {
      // A position beyond one side's tuple falls under that side's items schema.
      const a = i < ot.prefix.length ? ot.prefix[i] : ot.rest;
      const b = i < nt.prefix.length ? nt.prefix[i] : nt.rest;
      this.compare(a, b, { ...f, pointer: `${f.pointer}/${prefixKeyword}/${i}` });
    }
    if (has(o, 'items') || has(n, 'items') || has(o, 'additionalItems') || has(n, 'additionalItems')) {
      this.compare(ot.rest, nt.rest, { ...f, pointer: `${f.pointer}/${nt.restKeyword}` });
    }
    if (has(o, 'contains') || has(n, 'contains')) {
      const pointer = `${f.pointer}/contains`;
      if (!has(n, 'contains')) this.emit(f, pointer, 'CONTAINS_REMOVED', false, true, 'the array no longer has to contain a matching item');
      else if (!has(o, 'contains')) this.emit(f, pointer, 'CONTAINS_ADDED', true, false, 'the array must now contain a matching item');
      else this.compare(o.contains, n.contains, { ...f, pointer });
    }
    if (has(o, 'unevaluatedItems') || has(n, 'unevaluatedItems')) {
      this.compare(o.unevaluatedItems ?? true, n.unevaluatedItems ?? true, { ...f, pointer: `${f.pointer}/unevaluatedItems` });
    }
  }

  private compareCombinators(o: Obj, n: Obj, f: Frame): void {
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      if (!has(o, keyword) && !has(n, keyword)) continue;
      const base = `${f.pointer}/${keyword}`;
      const name = snake(keyword);
      const oldList = Array.isArray(o[keyword]) ? (o[keyword] as unknown[]) : [];
      const newList = Array.isArray(n[keyword]) ? (n[keyword] as unknown[]) : [];
      if (keyword !== 'allOf' && (!has(o, keyword) || !has(n, keyword))) {
        // anyOf/oneOf appearing is one more constraint; disappearing is one less.
        const added = has(n, keyword);
        this.emit(f, base, `${name}_${added ? 'ADDED' : 'REMOVED'}`, added, !added, `${keyword} ${added ? 'added: values must now match its branches' : 'removed: values no longer have to match its branches'}`);
        continue;
      }
      const branch: Frame = keyword === 'oneOf' ? { ...f, inOneOf: true } : f;
      const { pairs, removed, added } = pairSubschemas(oldList, newList);
      for (const [i, j] of pairs) this.compare(oldList[i], newList[j], { ...branch, pointer: `${base}/${j}` });
      for (const i of removed) {
        const pointer = `${base}/${i}`;
        if (keyword === 'allOf') {
          const widens = this.sub(oldList[i], true, { ...f, pointer }).some((c) => c.breaksForward);
          this.emit(f, pointer, 'ALL_OF_SUBSCHEMA_REMOVED', false, widens, `allOf subschema #${i} of the old schema removed: one constraint less`);
        } else if (keyword === 'anyOf') {
          this.emit(f, pointer, 'ANY_OF_BRANCH_REMOVED', true, false, `anyOf branch #${i} of the old schema removed: values only it matched are rejected (not proven that another branch covers them)`);
        } else {
          this.emit(f, pointer, 'ONE_OF_BRANCH_REMOVED', true, true, `oneOf branch #${i} of the old schema removed: values only it matched are rejected, and values it made ambiguous may become valid`);
        }
      }
      for (const j of added) {
        const pointer = `${base}/${j}`;
        if (keyword === 'allOf') {
          const narrows = this.sub(true, newList[j], { ...f, pointer }).some((c) => c.breaksBackward);
          this.emit(f, pointer, 'ALL_OF_SUBSCHEMA_ADDED', narrows, false, `allOf subschema #${j} added: one constraint more`);
        } else if (keyword === 'anyOf') {
          this.emit(f, pointer, 'ANY_OF_BRANCH_ADDED', false, true, `anyOf branch #${j} added: values it matches are now valid, readers on the old schema may reject them`);
        } else {
          this.emit(f, pointer, 'ONE_OF_BRANCH_ADDED', true, true, `oneOf branch #${j} added: values it matches become valid, and values matching it and another branch become invalid`);
        }
      }
    }
    if (has(o, 'not') || has(n, 'not')) {
      const pointer = `${f.pointer}/not`;
      if (!has(n, 'not')) this.emit(f, pointer, 'NOT_REMOVED', false, true, '"not" removed: values it excluded are now valid');
      else if (!has(o, 'not')) this.emit(f, pointer, 'NOT_ADDED', true, false, '"not" added: values it matches are now rejected');
      else this.compare(o.not, n.not, { ...f, pointer, negated: !f.negated });
    }
  }

  private compareConditional(o: Obj, n: Obj, f: Frame): void {
    if (!['if', 'then', 'else'].some((k) => has(o, k) || has(n, k))) return;
    const effective = (s: Obj): boolean => has(s, 'if') && (has(s, 'then') || has(s, 'else'));
    const conditionChanged = has(o, 'if') !== has(n, 'if') || (has(o, 'if') && this.sub(o.if, n.if, f).some((c) => c.breaksBackward || c.breaksForward));
    if (conditionChanged) {
      const matters = effective(o) || effective(n);
      this.emit(
        f,
        `${f.pointer}/if`,
        'CONDITION_CHANGED',
        matters,
        matters,
        matters
          ? 'the "if" condition changed: which values get "then" and which get "else" moved, and the engine cannot prove that safe either way'
          : 'the "if" condition changed, but there is no "then"/"else" to apply, so nothing changes',
      );
    } else if (has(o, 'if') && !same(o.if, n.if)) {
      this.emit(f, `${f.pointer}/if`, 'CONDITION_REWRITTEN', false, false, 'the "if" condition was rewritten without changing which values match it');
    }
    for (const keyword of ['then', 'else']) {
      if (!has(o, keyword) && !has(n, keyword)) continue;
      // then/else are monotone: (if ∧ then) ∨ (¬if ∧ else); judged as if the condition were unchanged.
      this.compare(o[keyword] ?? true, n[keyword] ?? true, { ...f, pointer: `${f.pointer}/${keyword}` });
    }
  }
}

/*
 * Forms drawn from the contracts' JSON Schemas (2020-12), for the desk console's steps.
 *
 * Written here rather than taken from JSON-Editor, react-jsonschema-form and the like: those write
 * inline style attributes, which the console's CSP (style-src 'self') refuses, and none evaluates
 * 2020-12 if/then inside allOf, which the contracts use for their discriminated fields. The contracts
 * use a small part of JSON Schema and this file covers that part: $ref into $defs, objects (optional
 * ones behind a checkbox), strings (format date-time / date), enum and const, integers and numbers,
 * booleans, arrays (repeatable groups), if/then/else in allOf and dependentSchemas (fields appear,
 * become required, narrow or disappear with the value they depend on) and the file reference object
 * {digest, size, mediaType, name} (a file input that uploads at once). The gateway validates every
 * message again with ajv; the checks here spare the clerk a round trip.
 *
 * One file for the browser (window.SchemaForm; no build step) and Node (module.exports, for the unit
 * tests): everything above render() is pure and needs no DOM.
 */
(function (root, factory) {
  const api = factory();
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  else root.SchemaForm = api;
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  const UI = {
    'zh-CN': {
      colon: '：', choose: '— 请选择 —', unset: '— 不填 —', yes: '是', no: '否', add: (l) => `添加${l}`, remove: '删除', removeNamed: (l) => `删除${l}`,
      include: (l) => `填写${l}`, item: (l, n) => `${l} ${n}`, removeFile: '移除文件', uploading: (n) => `正在上传 ${n}…`, uploadProgress: (l) => `${l}上传进度`, uploadFor: (l) => `上传文件以填写${l}`,
      uploaded: '已上传', digest: '摘要', uploadFailed: (m) => `上传失败：${m}`, noUpload: '此处不能上传文件', stillUploading: '文件仍在上传，请稍候',
      bytes: (n) => (n < 1024 ? `${n} 字节` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`),
      required: '必填', notAllowed: '此情形下不应填写', pattern: '格式不正确', minLength: (n) => `至少 ${n} 个字符`, maxLength: (n) => `最多 ${n} 个字符`,
      minimum: (n) => `不能小于 ${n}`, maximum: (n) => `不能大于 ${n}`, above: (n) => `须大于 ${n}`, below: (n) => `须小于 ${n}`, integer: '须为整数', number: '须为数字', type: '类型不正确', enum: '请从列表中选择',
      const: (v) => `须为 ${v}`, minItems: (n) => `至少 ${n} 项`, maxItems: (n) => `最多 ${n} 项`, uniqueItems: '各项不能重复', dateTime: '请填写有效的日期和时间', date: '请填写有效的日期',
    },
    en: {
      colon: ': ', choose: '— choose —', unset: '— not given —', yes: 'Yes', no: 'No', add: (l) => `Add ${lower(l)}`, remove: 'Remove', removeNamed: (l) => `Remove ${lower(l)}`,
      include: (l) => `Fill in ${lower(l)}`, item: (l, n) => `${l} ${n}`, removeFile: 'Remove the file', uploading: (n) => `Uploading ${n}…`, uploadProgress: (l) => `${l}: upload progress`, uploadFor: (l) => `Upload the file for ${lower(l)}`,
      uploaded: 'Uploaded', digest: 'Digest', uploadFailed: (m) => `Upload failed: ${m}`, noUpload: 'Files cannot be uploaded here', stillUploading: 'The file is still uploading; please wait',
      bytes: (n) => (n < 1024 ? `${n} bytes` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`),
      required: 'Required', notAllowed: 'Not allowed in this case', pattern: 'Wrong format', minLength: (n) => `At least ${n} characters`, maxLength: (n) => `At most ${n} characters`,
      minimum: (n) => `At least ${n}`, maximum: (n) => `At most ${n}`, above: (n) => `Must be more than ${n}`, below: (n) => `Must be less than ${n}`, integer: 'Must be a whole number', number: 'Must be a number', type: 'Wrong type', enum: 'Choose from the list',
      const: (v) => `Must be ${v}`, minItems: (n) => `At least ${n} items`, maxItems: (n) => `At most ${n} items`, uniqueItems: 'Items must not repeat', dateTime: 'Enter a valid date and time', date: 'Enter a valid date',
    },
  };
  function lower(text) {
    return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
  }
  const normLang = (lang) => (lang === 'en' ? 'en' : 'zh-CN');
  const ui = (lang) => UI[normLang(lang)];

  // ---- descriptions: "中文 / English" ------------------------------------------------------------

  /** The half of a bilingual description in the language ("中文 / English", split on the first " / "). */
  function descriptionIn(description, lang) {
    if (typeof description !== 'string') return '';
    const at = description.indexOf(' / ');
    if (at < 0) return description.trim();
    return (normLang(lang) === 'en' ? description.slice(at + 3) : description.slice(0, at)).trim();
  }

  /** A short label (up to the first clause break) and the whole half as help text when it says more. */
  function labelAndHelp(description, lang) {
    const text = descriptionIn(description, lang);
    const cut = normLang(lang) === 'en' ? /: |, |; | \(|\. / : /[：:，,；;（(。]/;
    const match = cut.exec(text);
    if (!match || match.index === 0) return { label: text, help: '' };
    return { label: text.slice(0, match.index).trim(), help: text };
  }

  const CJK = /[\u3400-\u9fff]/;
  const CONNECTORS = new Set(['或', '和', '及', '与', 'or', 'and']);
  const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  /** Start indexes of `code` in text where it stands alone (not inside VERY_SATISFIED for SATISFIED). */
  function codeIndexes(text, code) {
    const re = new RegExp(`(^|[^A-Za-z0-9_])${escapeRegExp(code)}(?![A-Za-z0-9_])`, 'g');
    const out = [];
    for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index + m[1].length);
    return out;
  }

  /** "CODE 中文名（说明），" → "中文名（说明）": up to a clause break outside brackets. */
  function zhLabelAfter(text, from) {
    let depth = 0;
    let end = from;
    for (; end < text.length; end++) {
      const c = text[end];
      if (c === '（' || c === '(') depth++;
      else if (c === '）' || c === ')') depth = Math.max(0, depth - 1);
      else if (depth === 0 && '，,；;。、'.includes(c)) break;
    }
    return text.slice(from, end).trim();
  }

  /** "CODE (label)" → "label" (balanced parentheses). */
  function enLabelAfter(text, from) {
    if (text[from] !== '(') return '';
    let depth = 0;
    for (let end = from; end < text.length; end++) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')' && --depth === 0) return text.slice(from + 1, end).trim();
    }
    return '';
  }

  const usable = (label, codes) => Boolean(label) && !CONNECTORS.has(label) && !codes.some((c) => codeIndexes(label, c).length > 0) && !/^[A-Z0-9_]+$/.test(label);
  const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1);

  /**
   * Option labels of an enum from its description, which lists "CODE 中文名" pairs (中文) and either
   * "CODE (label)" or, when it names no code, the labels in enum order (English). Codes without a
   * label are missing from the result: the caller shows the code itself.
   */
  function parseEnumLabels(description, codes, lang) {
    const text = descriptionIn(description, lang);
    const all = (codes || []).map(String);
    const labels = {};
    const en = normLang(lang) === 'en';
    for (const code of all) {
      for (const at of codeIndexes(text, code)) {
        const after = at + code.length;
        let label = '';
        if (en) label = text[after] === ' ' ? enLabelAfter(text, after + 1) : '';
        else if (text[after] === ' ') label = zhLabelAfter(text, after + 1);
        if (usable(label, all) && (!en || !CJK.test(label))) {
          labels[code] = label;
          break;
        }
      }
    }
    if (en && all.every((code) => codeIndexes(text, code).length === 0)) {
      // "Channel (…): window, online, mobile, …" — the labels in enum order, when they count right.
      const list = text.slice(text.lastIndexOf(': ') + 1).trim().replace(/\.$/, '');
      const parts = list.split(/, (?:or |and )?| or | and /).map((s) => s.trim()).filter(Boolean);
      if (parts.length === all.length) all.forEach((code, i) => (labels[code] = capitalise(parts[i])));
    }
    return labels;
  }

  // ---- dates ------------------------------------------------------------------------------------

  const pad = (n) => String(n).padStart(2, '0');

  /** Minutes east of UTC → "+08:00" / "-05:30" / "+00:00". */
  function formatOffset(minutesEast) {
    const abs = Math.abs(minutesEast);
    return `${minutesEast < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }

  /**
   * A datetime-local value ("2026-11-25T10:00", seconds optional) → RFC 3339 with the offset the
   * local time zone has at that moment ("2026-11-25T10:00:00+08:00"); undefined when not a time.
   * offsetMinutesEast overrides the browser's zone (tests).
   */
  function localToRfc3339(local, offsetMinutesEast) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?$/.exec(local || '');
    if (!m) return undefined;
    const [, y, mo, d, h, mi, s = '00', fraction = ''] = m;
    const offset = offsetMinutesEast ?? -new Date(+y, +mo - 1, +d, +h, +mi, +s).getTimezoneOffset();
    return `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction}${formatOffset(offset)}`;
  }

  /** RFC 3339 → the same instant as a datetime-local value in the local zone ('' when not a time). */
  function rfc3339ToLocal(value) {
    if (typeof value !== 'string') return '';
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return '';
    const base = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
    // Seconds and milliseconds only when there are some: the input shows what it is given.
    if (date.getMilliseconds()) return `${base}:${pad(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
    return date.getSeconds() ? `${base}:${pad(date.getSeconds())}` : base;
  }

  // ---- schemas ----------------------------------------------------------------------------------

  const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const escapeToken = (k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');
  const unescapeToken = (k) => k.replace(/~1/g, '/').replace(/~0/g, '~');

  /** Follows a local $ref ("#/$defs/x"); the referring schema's own keywords (its description) win. */
  function resolve(rootSchema, schema, depth = 0) {
    if (schema === true || schema === undefined || schema === null) return {};
    if (schema === false) return false;
    if (typeof schema.$ref !== 'string') return schema;
    if (depth > 32 || !schema.$ref.startsWith('#')) throw new Error(`cannot follow $ref ${schema.$ref}`);
    let target = rootSchema;
    for (const token of schema.$ref.slice(1).split('/').filter(Boolean)) target = target?.[unescapeToken(decodeURIComponent(token))];
    if (target === undefined) throw new Error(`$ref ${schema.$ref} points nowhere`);
    const { $ref: _ref, ...siblings } = schema;
    const resolved = resolve(rootSchema, target, depth + 1);
    return resolved === false ? false : { ...resolved, ...siblings };
  }

  /** The file reference object of the contracts: an object requiring digest, size, mediaType and name. */
  /** A string that is a SHA-256 digest of a file (its description says so), not of an envelope. */
  function isFileDigest(schema) {
    const pattern = String(schema.pattern || '');
    return pattern.startsWith('^sha256:') && /文件|file/i.test(String(schema.description || ''));
  }

  function isFileRef(schema) {
    const req = isObject(schema) && Array.isArray(schema.required) ? schema.required : [];
    return ['digest', 'size', 'mediaType', 'name'].every((k) => req.includes(k)) && isObject(schema.properties);
  }

  const typeOf = (schema) =>
    schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : schema.enum ? typeof schema.enum[0] : schema.const !== undefined ? typeof schema.const : undefined);

  function deepEqual(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  /** Does value satisfy an `if` schema? Enough of JSON Schema for discriminators: const, enum, type, properties, required, allOf, not. */
  function matches(rootSchema, schema, value) {
    const s = resolve(rootSchema, schema);
    if (s === false) return false;
    if (s.const !== undefined && !deepEqual(s.const, value)) return false;
    if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, value))) return false;
    if (s.type && !hasType(value, s.type)) return false;
    if (Array.isArray(s.required) && (!isObject(value) || s.required.some((k) => value[k] === undefined))) return false;
    if (isObject(s.properties) && isObject(value)) {
      for (const [k, sub] of Object.entries(s.properties)) if (value[k] !== undefined && !matches(rootSchema, sub, value[k])) return false;
    }
    if (Array.isArray(s.allOf) && !s.allOf.every((sub) => matches(rootSchema, sub, value))) return false;
    if (s.not !== undefined && matches(rootSchema, s.not, value)) return false;
    return true;
  }

  function hasType(value, type) {
    const types = Array.isArray(type) ? type : [type];
    return types.some((t) =>
      t === 'integer' ? Number.isInteger(value) : t === 'number' ? typeof value === 'number' && Number.isFinite(value) : t === 'array' ? Array.isArray(value) : t === 'object' ? isObject(value) : t === 'null' ? value === null : typeof value === t,
    );
  }

  /** Where effectiveObject keeps the description an if/then branch gives a field. */
  const CONDITION_NOTE = 'x-tongban-condition';

  /**
   * An object schema as it applies to this value: the base properties with the overrides of every
   * if/then (or else) that holds and of dependentSchemas whose key is present — which properties are
   * required, which are forbidden (`false`), and narrowed enums or reworded descriptions.
   */
  function effectiveObject(rootSchema, schema, value) {
    const s = resolve(rootSchema, schema) || {};
    const v = isObject(value) ? value : {};
    const order = Object.keys(s.properties || {});
    const props = { ...(s.properties || {}) };
    const required = new Set(s.required || []);
    const forbidden = new Set();
    const apply = (branch) => {
      const b = resolve(rootSchema, branch);
      if (!b) return;
      for (const [k, sub] of Object.entries(b.properties || {})) {
        if (sub === false) forbidden.add(k);
        else if (props[k] !== undefined) {
          // The field keeps its own name (the label and the option names come from it); the branch's
          // wording ("required when approved") becomes a note.
          const base = resolve(rootSchema, props[k]);
          const over = resolve(rootSchema, sub);
          props[k] = { ...base, ...over, description: base.description ?? over.description };
          if (over.description && base.description && over.description !== base.description) props[k][CONDITION_NOTE] = over.description;
        }
      }
      for (const k of b.required || []) required.add(k);
      for (const sub of b.allOf || []) visit(sub);
      if (b.if !== undefined) visit(b);
    };
    const visit = (sub) => {
      const r = resolve(rootSchema, sub);
      if (!r) return;
      if (r.if !== undefined) {
        if (matches(rootSchema, r.if, v)) {
          if (r.then !== undefined) apply(r.then);
        } else if (r.else !== undefined) apply(r.else);
      } else apply(r);
    };
    if (s.if !== undefined) visit({ if: s.if, then: s.then, else: s.else });
    for (const sub of s.allOf || []) visit(sub);
    for (const [k, dep] of Object.entries(s.dependentSchemas || {})) if (v[k] !== undefined) apply(dep);
    for (const [k, deps] of Object.entries(s.dependentRequired || {})) if (v[k] !== undefined) deps.forEach((d) => required.add(d));
    for (const k of forbidden) required.delete(k);
    return { schema: s, order, props, required, forbidden };
  }

  /** Properties whose value decides an if/then or dependentSchemas: the form redraws when they change. */
  function conditionKeys(rootSchema, schema) {
    const s = resolve(rootSchema, schema) || {};
    const keys = new Set(Object.keys(s.dependentSchemas || {}));
    const collect = (sub) => {
      const r = resolve(rootSchema, sub);
      if (!r) return;
      if (r.if !== undefined) {
        const cond = resolve(rootSchema, r.if) || {};
        Object.keys(cond.properties || {}).forEach((k) => keys.add(k));
        (cond.required || []).forEach((k) => keys.add(k));
        for (const branch of [r.then, r.else]) if (branch !== undefined) collect(branch);
      }
      for (const x of r.allOf || []) collect(x);
    };
    collect(s);
    return keys;
  }

  // ---- validation ---------------------------------------------------------------------------------

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

  /** A real calendar date (Date.parse takes 2026-02-30 and rolls it over; ajv does not). */
  function isDate(value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) return false;
    const [y, mo, d] = [+m[1], +m[2], +m[3]];
    const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return mo >= 1 && mo <= 12 && d >= 1 && d <= days[mo - 1];
  }

  /** RFC 3339 date-time with an offset, every part in range. */
  function isDateTime(value) {
    const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(value);
    if (!m || !isDate(m[1])) return false;
    const [h, mi, sec] = [+m[2], +m[3], +m[4]];
    const offsetOk = m[6].toUpperCase() === 'Z' || (+m[8] <= 23 && +m[9] <= 59);
    return h <= 23 && mi <= 59 && sec <= 60 && offsetOk;
  }

  /**
   * What is wrong with value against schema, as [{ pointer, message }] (pointers into the payload,
   * RFC 6901; messages in the language). `undefined` stands for a value not given: an empty array
   * slot is reported as required.
   */
  function validateValue(rootSchema, schema, value, lang, pointer = '') {
    const t = ui(lang);
    const errors = [];
    const add = (p, message) => errors.push({ pointer: p, message });
    const s = resolve(rootSchema, schema);
    if (s === false) {
      if (value !== undefined) add(pointer, t.notAllowed);
      return errors;
    }
    if (value === undefined) return errors;
    if (s.const !== undefined && !deepEqual(s.const, value)) add(pointer, t.const(s.const));
    else if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, value))) add(pointer, t.enum);
    const type = typeOf(s);
    if (type && !hasType(value, type)) {
      add(pointer, type === 'integer' ? t.integer : type === 'number' ? t.number : t.type);
      return errors;
    }
    if (typeof value === 'string') {
      const length = [...value].length;
      if (s.minLength !== undefined && length < s.minLength) add(pointer, value.trim() === '' ? t.required : t.minLength(s.minLength));
      else if (s.maxLength !== undefined && length > s.maxLength) add(pointer, t.maxLength(s.maxLength));
      else if (s.format === 'date-time' && !isDateTime(value)) add(pointer, t.dateTime);
      else if (s.format === 'date' && !isDate(value)) add(pointer, t.date);
      else if (s.format === 'uuid' && !UUID.test(value)) add(pointer, t.pattern);
      else if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) add(pointer, t.pattern);
    }
    if (typeof value === 'number') {
      if (s.minimum !== undefined && value < s.minimum) add(pointer, t.minimum(s.minimum));
      if (s.maximum !== undefined && value > s.maximum) add(pointer, t.maximum(s.maximum));
      if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) add(pointer, t.above(s.exclusiveMinimum));
      if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) add(pointer, t.below(s.exclusiveMaximum));
    }
    if (Array.isArray(value)) {
      if (s.minItems !== undefined && value.length < s.minItems) add(pointer, t.minItems(s.minItems));
      if (s.maxItems !== undefined && value.length > s.maxItems) add(pointer, t.maxItems(s.maxItems));
      if (s.uniqueItems && new Set(value.map((x) => JSON.stringify(x))).size !== value.length) add(pointer, t.uniqueItems);
      value.forEach((item, i) => {
        if (item === undefined) add(`${pointer}/${i}`, t.required);
        else errors.push(...validateValue(rootSchema, s.items ?? {}, item, lang, `${pointer}/${i}`));
      });
    }
    if (isObject(value) && (type === 'object' || s.properties)) {
      const eff = effectiveObject(rootSchema, s, value);
      for (const k of eff.required) if (value[k] === undefined) add(`${pointer}/${escapeToken(k)}`, t.required);
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue;
        const p = `${pointer}/${escapeToken(k)}`;
        if (eff.forbidden.has(k)) add(p, t.notAllowed);
        else if (eff.props[k] !== undefined) errors.push(...validateValue(rootSchema, eff.props[k], v, lang, p));
        else if (s.additionalProperties === false) add(p, t.notAllowed);
      }
    }
    return errors;
  }

  /** The payload as sent: no `undefined` (empty array slots dropped, empty optional objects gone). */
  function prune(value) {
    if (Array.isArray(value)) return value.filter((x) => x !== undefined).map(prune);
    if (isObject(value)) {
      const out = {};
      for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = prune(v);
      return out;
    }
    return value;
  }

  // ---- HTML attributes ----------------------------------------------------------------------------

  const V_FLAG = (() => {
    try {
      new RegExp('', 'v');
      return 'v';
    } catch {
      return 'u';
    }
  })();
  const compiles = (p) => {
    try {
      new RegExp(`^(?:${p})$`, V_FLAG);
      return true;
    } catch {
      return false;
    }
  };

  /** Escapes what the `v` flag (HTML pattern attributes use it) reserves inside character classes. */
  function escapeClassesForV(pattern) {
    let out = '';
    let inClass = false;
    let classStart = 0;
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '\\') {
        out += c + (pattern[i + 1] ?? '');
        i++;
      } else if (!inClass) {
        out += c;
        if (c === '[') {
          inClass = true;
          if (pattern[i + 1] === '^') {
            out += '^';
            i++;
          }
          classStart = out.length;
        }
      } else if (c === ']') {
        inClass = false;
        out += c;
      } else if (c === '-') {
        out += out.length === classStart || pattern[i + 1] === ']' ? '\\-' : '-';
      } else if ('(){}/|'.includes(c) || ('&!#$%*+,.:;<=>?@^`~'.includes(c) && pattern[i + 1] === c)) {
        out += `\\${c}`;
      } else {
        out += c;
      }
    }
    return out;
  }

  /**
   * A JSON Schema pattern (unanchored, `u` flag) as an HTML pattern attribute (anchored, `v` flag);
   * undefined when it cannot be expressed (the form still checks it with the schema's own regex).
   */
  function htmlPattern(pattern) {
    if (typeof pattern !== 'string') return undefined;
    let p = pattern;
    if (p.startsWith('^') && p.endsWith('$') && !p.endsWith('\\$') && !p.includes('|')) p = p.slice(1, -1);
    else p = `[\\s\\S]*(?:${p})[\\s\\S]*`;
    if (compiles(p)) return p;
    const escaped = escapeClassesForV(p);
    return compiles(escaped) ? escaped : undefined;
  }

  // ---- the form (browser) -------------------------------------------------------------------------

  /**
   * Draws a form for schema into container, filled from initialValue.
   * options: { lang: 'zh-CN' | 'en', upload(file, onProgress(fraction 0…1)) → Promise<{digest,size,mediaType,name}>,
   *            idPrefix, enumLabels: { '/pointer': { CODE: label | { 'zh-CN': …, en: … } } } (array indexes as '*') }.
   * Returns { value(), validate() → messages, errors(), showErrors(errors) → the ones not placed at a field, clearErrors(), focusFirstError() }.
   */
  function render(container, schema, initialValue, options = {}) {
    const lang = normLang(options.lang);
    const t = ui(lang);
    const rootSchema = schema;
    const prefix = options.idPrefix || 'sf';
    /** pointer → { label, control, errorEl } of each field drawn (redraws replace entries). */
    const fields = new Map();
    /** pointers of files still uploading */
    const uploading = new Set();

    const idFor = (pointer) => `${prefix}${pointer ? pointer.replace(/[^A-Za-z0-9_]+/g, '-') : '-root'}`;

    function h(tag, attrs, ...children) {
      const el = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs || {})) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else el.setAttribute(k, v === true ? '' : String(v));
      }
      el.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
      return el;
    }
    const requiredMark = () => h('span', { class: 'sf-req', 'aria-hidden': 'true', text: ' *' });

    function enumLabel(pointer, s, code) {
      const override = options.enumLabels?.[pointer.replace(/\/\d+(?=\/|$)/g, '/*')]?.[code];
      if (override) return typeof override === 'string' ? override : override[lang] || String(code);
      return parseEnumLabels(s.description, s.enum, lang)[String(code)] || String(code);
    }

    /** The help text of a field: its description beyond the label, and what a condition says about it now. */
    function helpText(s) {
      const codes = Array.isArray(s.enum) ? s.enum.map(String) : [];
      // An enum's description lists its codes, which the options already name.
      const useful = (text) => text && codes.filter((c) => codeIndexes(text, c).length > 0).length < 2;
      return [labelAndHelp(s.description, lang).help, descriptionIn(s[CONDITION_NOTE], lang)].filter(useful).join(lang === 'en' ? ' — ' : '；');
    }

    /** Label, help and error slot around a control; registers the field for error messages. */
    function decorate(pointer, s, required, control, extra, after) {
      const id = idFor(pointer);
      const { label } = labelAndHelp(s.description, lang);
      const help = helpText(s);
      const text = extra.labelText || label || unescapeToken(pointer.split('/').pop() || '');
      control.id = id;
      const describedBy = [];
      const helpEl = help ? h('p', { class: 'sf-help', id: `${id}-help`, text: help }) : null;
      if (helpEl) describedBy.push(helpEl.id);
      const errorEl = h('p', { class: 'sf-error', id: `${id}-error`, hidden: true });
      describedBy.push(errorEl.id);
      control.setAttribute('aria-describedby', describedBy.join(' '));
      if (required) {
        control.required = true;
        control.setAttribute('aria-required', 'true');
      }
      const labelEl = h('label', { for: id }, text, required ? requiredMark() : null);
      const wrapper = after ? h('div', { class: 'sf-field sf-check' }, control, labelEl, helpEl, errorEl) : h('div', { class: 'sf-field' }, labelEl, control, helpEl, errorEl);
      fields.set(pointer, { label: text, control, errorEl });
      return wrapper;
    }

    const changed = (extra) => () => extra.onChange && extra.onChange();

    function field(schema_, value, pointer, required, extra = {}) {
      const s = resolve(rootSchema, schema_) || {};
      if (s.const !== undefined && !s.enum) return constField(s, pointer, required, extra);
      if (Array.isArray(s.enum)) return enumField(s, value, pointer, required, extra);
      const type = typeOf(s);
      if (type === 'object') return isFileRef(s) ? fileField(s, value, pointer, required, extra) : objectField(s, value, pointer, required, extra);
      if (type === 'array') return arrayField(s, value, pointer, required, extra);
      if (type === 'boolean') return booleanField(s, value, pointer, required, extra);
      if (type === 'integer' || type === 'number') return numberField(s, value, pointer, required, extra, type);
      return stringField(s, value, pointer, required, extra);
    }

    function constField(s, pointer, required, extra) {
      const input = h('input', { type: 'text', readonly: true });
      input.value = String(s.const);
      return { el: decorate(pointer, s, required, input, extra), read: () => s.const };
    }

    function enumField(s, value, pointer, required, extra) {
      const select = h('select');
      select.append(new Option(required ? t.choose : t.unset, ''));
      for (const code of s.enum) select.append(new Option(enumLabel(pointer, s, code), String(code)));
      select.value = s.enum.some((e) => deepEqual(e, value)) ? String(value) : '';
      select.addEventListener('change', changed(extra));
      return { el: decorate(pointer, s, required, select, extra), read: () => (select.value === '' ? undefined : s.enum.find((e) => String(e) === select.value)) };
    }

    function stringField(s, value, pointer, required, extra) {
      let control;
      let read;
      if (s.format === 'date-time') {
        control = h('input', { type: 'datetime-local' });
        control.value = rfc3339ToLocal(value);
        read = () => localToRfc3339(control.value);
      } else if (s.format === 'date') {
        control = h('input', { type: 'date' });
        control.value = typeof value === 'string' ? value : '';
        read = () => control.value || undefined;
      } else {
        const long = (s.maxLength ?? 0) > 200;
        control = long ? h('textarea', { rows: 3 }) : h('input', { type: 'text', pattern: htmlPattern(s.pattern) });
        if (s.maxLength !== undefined) control.maxLength = s.maxLength;
        if (s.minLength !== undefined) control.minLength = s.minLength;
        control.value = typeof value === 'string' ? value : '';
        // Blanks around a name or a number are never meant: patterns like ^\S(.*\S)?$ refuse them.
        read = () => (control.value.trim() === '' ? undefined : control.value.trim());
      }
      control.addEventListener('change', changed(extra));
      const el = decorate(pointer, s, required, control, extra);
      if (isFileDigest(s)) el.append(digestUpload(control, s, extra));
      return { el, read };
    }

    /**
     * Sends the file picked in `input` through options.upload, showing progress and the outcome; the
     * gateway's reference, or undefined when there is no uploader or the upload failed (said in `status`).
     * While it runs, `key` is in `uploading`, so the form is not sent half-uploaded.
     */
    async function uploadPicked(input, key, progress, status) {
      const file = input.files[0];
      if (typeof options.upload !== 'function') {
        status.textContent = t.noUpload;
        return undefined;
      }
      uploading.add(key);
      progress.hidden = false;
      progress.value = 0;
      status.textContent = t.uploading(file.name);
      try {
        const reference = await options.upload(file, (fraction) => {
          progress.value = fraction;
        });
        progress.value = 1;
        return reference;
      } catch (error) {
        status.textContent = t.uploadFailed(error && error.message ? error.message : String(error));
        return undefined;
      } finally {
        uploading.delete(key);
        input.value = '';
      }
    }

    /**
     * A field that holds only a file's digest (办结's e-certificate, 容缺受理's signed promise): a file
     * picker beside it uploads the file and writes its digest, so nobody copies 64 hex digits by hand.
     */
    function digestUpload(control, s, extra) {
      const text = extra.labelText || labelAndHelp(s.description, lang).label;
      const input = h('input', { type: 'file', id: `${control.id}-file` });
      const label = h('label', { for: input.id, class: 'sf-upload-label' }, t.uploadFor(text));
      const progress = h('progress', { max: '1', value: '0', 'aria-label': t.uploadProgress(text), hidden: true });
      const status = h('span', { class: 'sf-file-status', 'aria-live': 'polite' });
      input.addEventListener('change', async () => {
        if (!(input.files && input.files[0])) return;
        const uploaded = await uploadPicked(input, control.id, progress, status);
        if (!uploaded) return;
        control.value = uploaded.digest;
        status.textContent = `${t.uploaded}：${uploaded.name}`;
        changed(extra)();
      });
      return h('div', { class: 'sf-digest-upload' }, label, input, progress, status);
    }

    function numberField(s, value, pointer, required, extra, type) {
      const input = h('input', { type: 'number', step: type === 'integer' ? '1' : 'any', min: s.minimum, max: s.maximum, inputmode: type === 'integer' ? 'numeric' : 'decimal' });
      input.value = typeof value === 'number' ? String(value) : '';
      input.addEventListener('change', changed(extra));
      return { el: decorate(pointer, s, required, input, extra), read: () => (input.value === '' ? undefined : Number(input.value)) };
    }

    function booleanField(s, value, pointer, required, extra) {
      if (required) {
        // A required yes/no: a checkbox, always sent (unchecked = false).
        const box = h('input', { type: 'checkbox' });
        box.checked = value === true;
        box.addEventListener('change', changed(extra));
        const el = decorate(pointer, s, false, box, extra, true);
        return { el, read: () => box.checked };
      }
      // Optional: "not given" must stay distinguishable from "no".
      const select = h('select');
      select.append(new Option(t.unset, ''), new Option(t.yes, 'true'), new Option(t.no, 'false'));
      select.value = value === true ? 'true' : value === false ? 'false' : '';
      select.addEventListener('change', changed(extra));
      return { el: decorate(pointer, s, false, select, extra), read: () => (select.value === '' ? undefined : select.value === 'true') };
    }

    function objectField(s, value, pointer, required, extra) {
      const isRoot = pointer === '';
      const { label } = labelAndHelp(s.description, lang);
      const help = helpText(s);
      const text = extra.labelText || label || unescapeToken(pointer.split('/').pop() || '');
      const id = idFor(pointer);
      const body = h('div', { class: 'sf-body' });
      let include = null;
      let el;
      if (isRoot) {
        el = h('div', { class: 'sf-object sf-root' }, body);
      } else {
        const errorEl = h('p', { class: 'sf-error', id: `${id}-error`, hidden: true });
        const helpEl = help ? h('p', { class: 'sf-help', id: `${id}-help`, text: help }) : null;
        const legend = h('legend');
        if (required || extra.inArray) {
          legend.append(text, required && !extra.inArray ? requiredMark() : '');
        } else {
          // An optional group: left out of the payload unless the clerk ticks it.
          include = h('input', { type: 'checkbox', id: `${id}-include` });
          include.checked = value !== undefined;
          legend.append(include, h('label', { for: include.id, text: t.include(text) }));
          include.addEventListener('change', () => {
            body.hidden = !include.checked;
            changed(extra)();
            if (include.checked) body.querySelector('input, select, textarea')?.focus();
          });
          body.hidden = !include.checked;
        }
        el = h('fieldset', { class: 'sf-object', id, 'aria-describedby': [helpEl?.id, errorEl.id].filter(Boolean).join(' ') }, legend, helpEl, errorEl, body);
        fields.set(pointer, { label: text, control: include || el, errorEl });
      }
      const keys = conditionKeys(rootSchema, s);
      const stash = {}; // values of fields a condition hid, restored if it shows them again
      let children = [];
      const build = (v) => {
        const eff = effectiveObject(rootSchema, s, v);
        children = [];
        body.replaceChildren();
        for (const k of eff.order) {
          if (eff.forbidden.has(k)) {
            if (isObject(v) && v[k] !== undefined) stash[k] = v[k];
            continue;
          }
          let childValue = isObject(v) ? v[k] : undefined;
          if (childValue === undefined && stash[k] !== undefined) childValue = stash[k];
          delete stash[k];
          const child = field(eff.props[k], childValue, `${pointer}/${escapeToken(k)}`, eff.required.has(k), { onChange: keys.has(k) ? rebuild : undefined });
          children.push([k, child]);
          body.append(child.el);
        }
      };
      const collect = () => {
        const out = {};
        for (const [k, child] of children) {
          const v = child.read();
          if (v !== undefined) out[k] = v;
        }
        return out;
      };
      const read = () => {
        if (include && !include.checked) return undefined;
        const out = collect();
        // A required group left empty reads as missing (so a condition can still drop it); a ticked
        // optional group or an array item stays, so its missing fields are pointed at one by one.
        if (!isRoot && !include && !extra.inArray && Object.keys(out).length === 0) return undefined;
        return out;
      };
      function rebuild() {
        const focused = document.activeElement?.id;
        // Empty rows go: a list the condition just made optional should not keep a blank to complain about.
        build(prune(collect()));
        if (focused) document.getElementById(focused)?.focus();
        changed(extra)();
      }
      build(value);
      return { el, read };
    }

    function arrayField(s, value, pointer, required, extra) {
      const { label } = labelAndHelp(s.description, lang);
      const help = helpText(s);
      const text = extra.labelText || label || unescapeToken(pointer.split('/').pop() || '');
      const id = idFor(pointer);
      const errorEl = h('p', { class: 'sf-error', id: `${id}-error`, hidden: true });
      const helpEl = help ? h('p', { class: 'sf-help', id: `${id}-help`, text: help }) : null;
      const list = h('ol', { class: 'sf-items' });
      const add = h('button', { type: 'button', class: 'sf-add', text: t.add(text) });
      const el = h('fieldset', { class: 'sf-array', id, 'aria-describedby': [helpEl?.id, errorEl.id].filter(Boolean).join(' ') }, h('legend', {}, text, required ? requiredMark() : null), helpEl, errorEl, list, add);
      fields.set(pointer, { label: text, control: add, errorEl });
      let rows = [];
      const build = (values) => {
        list.replaceChildren();
        rows = values.map((v, i) => {
          const itemLabel = t.item(text, i + 1);
          const child = field(s.items ?? {}, v, `${pointer}/${i}`, true, { inArray: true, labelText: itemLabel, onChange: extra.onChange });
          const remove = h('button', { type: 'button', class: 'sf-remove', text: t.remove, 'aria-label': t.removeNamed(itemLabel) });
          remove.addEventListener('click', () => {
            const current = read() || [];
            current.splice(i, 1);
            build(current);
            (list.querySelectorAll('.sf-remove')[Math.min(i, current.length - 1)] || add).focus();
            changed(extra)();
          });
          list.append(h('li', { class: 'sf-item' }, child.el, remove));
          return child;
        });
        add.disabled = s.maxItems !== undefined && values.length >= s.maxItems;
      };
      const read = () => (rows.length === 0 ? undefined : rows.map((r) => r.read()));
      add.addEventListener('click', () => {
        build([...(read() || []), undefined]);
        list.lastElementChild?.querySelector('input, select, textarea')?.focus();
        changed(extra)();
      });
      let initial = Array.isArray(value) ? value : [];
      // A required list starts with one empty row to fill in.
      if (initial.length === 0 && required && (s.minItems ?? 0) > 0) initial = [undefined];
      build(initial);
      return { el, read };
    }

    function fileField(s, value, pointer, required, extra) {
      const input = h('input', { type: 'file' });
      const { label } = labelAndHelp(s.description, lang);
      const text = extra.labelText || label;
      const el = decorate(pointer, s, required, input, extra);
      const id = input.id;
      const progress = h('progress', { max: '1', value: '0', id: `${id}-progress`, 'aria-label': t.uploadProgress(text), hidden: true });
      const status = h('p', { class: 'sf-file-status', id: `${id}-status`, 'aria-live': 'polite' });
      const clear = h('button', { type: 'button', class: 'sf-remove', text: t.removeFile, hidden: true });
      input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby')} ${status.id}`);
      el.append(progress, status, clear);
      const pick = (r) => (isObject(r) ? { digest: r.digest, size: r.size, mediaType: r.mediaType, name: r.name } : undefined);
      let ref = isObject(value) && typeof value.digest === 'string' ? pick(value) : undefined;
      const show = () => {
        status.replaceChildren();
        if (ref) status.append(`${t.uploaded}：${ref.name}（${t.bytes(ref.size)}） ${t.digest} `, h('code', { class: 'sf-digest', text: ref.digest }));
        clear.hidden = !ref;
      };
      show();
      input.addEventListener('change', async () => {
        if (!(input.files && input.files[0])) return;
        const uploaded = await uploadPicked(input, pointer, progress, status);
        if (uploaded) {
          ref = pick(uploaded);
          show();
        }
        changed(extra)();
      });
      clear.addEventListener('click', () => {
        ref = undefined;
        progress.hidden = true;
        show();
        input.focus();
        changed(extra)();
      });
      return { el, read: () => ref };
    }

    const top = field(rootSchema, initialValue, '', true, {});
    container.replaceChildren(top.el);

    /** The field drawn for pointer, or for its nearest ancestor that has one. */
    function fieldFor(pointer) {
      for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
        const f = fields.get(p);
        if (f && f.errorEl.isConnected) return { pointer: p, ...f };
        if (p === '') return undefined;
      }
    }

    function clearErrors() {
      for (const f of fields.values()) {
        f.errorEl.textContent = '';
        f.errorEl.hidden = true;
        f.control.removeAttribute('aria-invalid');
      }
    }

    function showErrors(errors) {
      clearErrors();
      const unplaced = [];
      for (const error of errors) {
        const f = fieldFor(error.pointer || '');
        if (!f) {
          unplaced.push(error);
          continue;
        }
        // Placed at an ancestor group: say which part of it.
        const child = f.pointer === error.pointer ? '' : `${labelAt(error.pointer)}${t.colon}`;
        f.errorEl.textContent = f.errorEl.textContent ? `${f.errorEl.textContent}；${child}${error.message}` : `${child}${error.message}`;
        f.errorEl.hidden = false;
        f.control.setAttribute('aria-invalid', 'true');
      }
      return unplaced;
    }

    function labelAt(pointer) {
      const f = fields.get(pointer);
      if (f) return f.label;
      return unescapeToken(pointer.split('/').pop() || '');
    }

    function errors() {
      const list = validateValue(rootSchema, rootSchema, top.read() ?? {}, lang);
      for (const p of uploading) list.push({ pointer: p, message: t.stillUploading });
      return list.map((e) => ({ ...e, label: labelAt(e.pointer) }));
    }

    return {
      value: () => prune(top.read() ?? {}),
      errors,
      /** Checks the form, shows each problem at its field and returns them as "label：message". */
      validate() {
        const list = errors();
        showErrors(list);
        return list.map((e) => `${e.label}${t.colon}${e.message}`);
      },
      showErrors,
      clearErrors,
      labelAt,
      idFor,
      focusFirstError() {
        const first = container.querySelector('[aria-invalid="true"]');
        if (first) first.focus();
        return Boolean(first);
      },
    };
  }

  return {
    render,
    descriptionIn,
    labelAndHelp,
    parseEnumLabels,
    localToRfc3339,
    rfc3339ToLocal,
    formatOffset,
    resolve,
    isFileRef,
    effectiveObject,
    conditionKeys,
    validateValue,
    prune,
    htmlPattern,
    escapeClassesForV,
  };
});

import { configError, isPlainObject } from './schema.validator';

/**
 * Partners speak their own codes (DOMAIN §4, §6): no national list of case status codes exists,
 * two opposite digit encodings of the five satisfaction levels are in use, and 办结结果代码 mean
 * different things on different platforms. Internally only these canonical values exist; a district
 * whose system uses other codes lists them in its alliance entry (`codes`), and the gateway translates
 * at the edge, both ways.
 *
 * The canonical lists repeat values owned elsewhere (the contracts' enums, CaseState in
 * @tongban/cases) because config must not depend on them; a test in each of those libraries asserts
 * the lists are equal.
 */
export const CANONICAL_CODES = {
  /** conclusion.resultCode */
  resultCode: ['APPROVED', 'PARTIALLY_APPROVED', 'DENIED', 'NOT_WITHIN_COMPETENCE'],
  /** evaluation.level */
  satisfactionLevel: ['VERY_SATISFIED', 'SATISFIED', 'BASIC_SATISFIED', 'DISSATISFIED', 'VERY_DISSATISFIED'],
  /** the case state the district is shown (GET /cases/:caseNumber) */
  caseState: [
    'COLLECTED', 'DISPATCHED', 'ACKNOWLEDGED', 'SUPPLEMENT_REQUESTED', 'ACCEPTED', 'NOT_ACCEPTED', 'IN_REVIEW', 'SUSPENDED',
    'APPROVED', 'DENIED', 'CONCLUDED', 'RESULT_RETURNED', 'RESULT_IN_TRANSIT', 'DELIVERED', 'WITHDRAWN', 'TERMINATED',
  ],
} as const;

export type CodeTableName = keyof typeof CANONICAL_CODES;
export const CODE_TABLE_NAMES = Object.keys(CANONICAL_CODES) as CodeTableName[];

/** One district's table, read both ways. */
export interface CodeTable {
  readonly name: CodeTableName;
  /** Where the table is configured, for errors that tell the operator what to extend. */
  readonly configKey: string;
  /** partner code → canonical value */
  readonly toCanonical: Readonly<Record<string, string>>;
  /** canonical value → partner code */
  readonly toPartner: Readonly<Record<string, string>>;
}

export type DistrictCodeTables = Readonly<Partial<Record<CodeTableName, CodeTable>>>;

/**
 * `codes` of one district: `{ "<table>": { "<partner code>": "<canonical value>", … } }`. Every
 * canonical value must appear exactly once, so every outgoing value has exactly one partner code and
 * no message can be accepted that the gateway could not then deliver.
 */
export function parseCodeTables(raw: unknown, path: string): DistrictCodeTables {
  if (!isPlainObject(raw)) throw configError(path, `must be an object: table name (${CODE_TABLE_NAMES.join(', ')}) → { partner code: canonical value }`, raw);
  const tables: Partial<Record<CodeTableName, CodeTable>> = {};
  for (const [name, entries] of Object.entries(raw)) {
    const key = `${path}.${name}`;
    if (!(CODE_TABLE_NAMES as string[]).includes(name)) {
      throw configError(key, `is not a code table; known tables: ${CODE_TABLE_NAMES.join(', ')}`, undefined);
    }
    const canonical: readonly string[] = CANONICAL_CODES[name as CodeTableName];
    if (!isPlainObject(entries)) throw configError(key, 'must be an object: partner code → canonical value', entries);
    // Built as entry lists: an assignment to a "__proto__" code would set the prototype instead.
    const codeToCanonical: [string, string][] = [];
    const toPartner: Record<string, string> = {};
    for (const [code, value] of Object.entries(entries)) {
      if (code.length === 0 || code.length > 64) throw configError(`${key}`, 'partner codes must be 1 to 64 characters', code);
      if (typeof value !== 'string' || !canonical.includes(value)) {
        throw configError(`${key}.${code}`, `must be one of ${canonical.join(', ')}`, value);
      }
      if (Object.hasOwn(toPartner, value)) {
        throw configError(`${key}.${code}`, `maps to ${value}, which partner code "${toPartner[value]}" already maps to; each canonical value needs exactly one partner code`, value);
      }
      codeToCanonical.push([code, value]);
      toPartner[value] = code; // keys are canonical values, never "__proto__"
    }
    const missing = canonical.filter((v) => !Object.hasOwn(toPartner, v));
    if (missing.length > 0) {
      throw configError(key, `has no partner code for ${missing.join(', ')}; every canonical value needs one so the gateway can deliver it`, undefined);
    }
    tables[name as CodeTableName] = { name: name as CodeTableName, configKey: key, toCanonical: Object.fromEntries(codeToCanonical), toPartner };
  }
  return tables;
}

import type { ErrorObject } from 'ajv';

export interface ContractViolation {
  /** JSON pointer (RFC 6901) into the payload, to the offending (or missing) value; '' is the payload itself. */
  pointer: string;
  /** For a person: which field (by its schema description) and what is wrong. Never the value itself. */
  message: string;
  /** The JSON Schema keyword that failed, e.g. `required`, `pattern`. */
  keyword: string;
}

// Summary errors that only say "a subschema failed": the subschema's own errors are reported too.
const SUMMARY_KEYWORDS = new Set(['if', 'allOf', 'anyOf', 'oneOf', 'not', '$ref']);

function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The property an error is really about, for keywords that ajv reports on the parent object. */
function childProperty(error: ErrorObject): string | undefined {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
    case 'dependentRequired':
      return params.missingProperty as string;
    case 'additionalProperties':
      return params.additionalProperty as string;
    case 'unevaluatedProperties':
      return params.unevaluatedProperty as string;
    case 'propertyNames':
      return params.propertyName as string;
    default:
      return undefined;
  }
}

/** "申请人证件号码 / Applicant ID number" from the schema, when there is one. */
function describedAs(schema: unknown): string | undefined {
  if (typeof schema === 'object' && schema !== null && typeof (schema as { description?: unknown }).description === 'string') {
    return (schema as { description: string }).description;
  }
  return undefined;
}

function explain(error: ErrorObject, pointer: string): string {
  const params = error.params as Record<string, unknown>;
  const child = childProperty(error);
  const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
  const label = describedAs(child !== undefined ? parent?.properties?.[child] : parent);
  const where = label ? `${label} (${pointer || '/'})` : pointer || 'payload';
  switch (error.keyword) {
    case 'required':
      return `${where} is required but missing`;
    case 'dependentRequired':
      return `${where} is required when ${String(params.property)} is present`;
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return `${where} is not allowed by the contract`;
    case 'enum':
      return `${where} must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${where} must be ${JSON.stringify(params.allowedValue)}`;
    case 'pattern':
      return `${where} does not have the required format (pattern ${String(params.pattern)})`;
    case 'format':
      return `${where} must be a valid ${String(params.format)}`;
    case 'false schema':
      // `"field": false` in an if/then branch: the field is not allowed in that case.
      return `${where} is not allowed here by the contract`;
    default:
      // ajv's own wording ("must be string", "must NOT have fewer than 1 items") names no value.
      return `${where} ${error.message ?? `fails ${error.keyword}`}`;
  }
}

/**
 * Turns ajv errors into violations a desk officer or an integrator can act on. Requires ajv's
 * `verbose` option (for parentSchema). Values are never copied into messages: payloads carry ID
 * and phone numbers, and violations end up in logs and problem responses.
 */
export function toViolations(errors: readonly ErrorObject[] | null | undefined): ContractViolation[] {
  const violations: ContractViolation[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    if (SUMMARY_KEYWORDS.has(error.keyword)) continue;
    const child = childProperty(error);
    const pointer = child === undefined ? error.instancePath : `${error.instancePath}/${escapePointerToken(child)}`;
    const violation = { pointer, keyword: error.keyword, message: explain(error, pointer) };
    // Overlapping subschemas (allOf/if-then) can report the identical failure twice; say it once.
    const key = `${pointer}\u0000${violation.keyword}\u0000${violation.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    violations.push(violation);
  }
  return violations;
}

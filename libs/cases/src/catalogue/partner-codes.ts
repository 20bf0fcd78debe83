import type { CodeTable, CodeTableName, District } from '@tongban/config';
import { CaseError, CaseErrorCode } from '../case-error';
import type { CaseState } from '../case-state';

/** Which payload fields of which contract carry a coded value, and from which table. */
export const CODED_FIELDS: Readonly<Record<string, readonly { field: string; table: CodeTableName }[]>> = {
  conclusion: [{ field: 'resultCode', table: 'resultCode' }],
  evaluation: [{ field: 'level', table: 'satisfactionLevel' }],
};

/**
 * A partner's payload in canonical codes, or undefined when nothing had to change (the district has
 * no table for these fields). Partner digits may arrive as JSON numbers; they are looked up as text.
 * A value missing from the district's table is refused, naming the table to extend.
 */
export function payloadToCanonical(district: District, contractId: string, payload: Record<string, unknown>): Record<string, unknown> | undefined {
  return translate(district, contractId, payload, (table, field, value) => {
    const code = typeof value === 'number' ? String(value) : value;
    if (typeof code === 'string' && Object.hasOwn(table.toCanonical, code)) return table.toCanonical[code];
    throw new CaseError(
      CaseErrorCode.UNMAPPED_CODE,
      `${district.id} sent ${field} ${JSON.stringify(value)}, which is not in its ${table.name} code table ` +
        `(${table.configKey}; known codes: ${Object.keys(table.toCanonical).join(', ')}). Send one of those codes, or extend the table in the alliance configuration.`,
      { pointer: `/payload/${field}`, table: table.name, configKey: table.configKey, knownCodes: Object.keys(table.toCanonical) },
    );
  });
}

/** A canonical payload in the recipient's codes, or undefined when the recipient speaks canonical ones. */
export function payloadToPartner(district: District, contractId: string, payload: Record<string, unknown>): Record<string, unknown> | undefined {
  // Tables are total (checked at boot), so a canonical value the schema allowed always has a code.
  return translate(district, contractId, payload, (table, _field, value) => table.toPartner[value as string] ?? value);
}

/** The case state in the district's own status codes, when it has a caseState table. */
export function stateForPartner(district: District | undefined, state: CaseState): string | undefined {
  return district?.codes.caseState?.toPartner[state];
}

function translate(
  district: District,
  contractId: string,
  payload: Record<string, unknown>,
  map: (table: CodeTable, field: string, value: unknown) => unknown,
): Record<string, unknown> | undefined {
  let translated: Record<string, unknown> | undefined;
  for (const { field, table: name } of CODED_FIELDS[contractId] ?? []) {
    const table = district.codes[name];
    if (!table || !Object.hasOwn(payload, field)) continue;
    translated ??= { ...payload };
    translated[field] = map(table, field, payload[field]);
  }
  return translated;
}

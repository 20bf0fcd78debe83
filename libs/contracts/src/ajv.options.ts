/**
 * One set of ajv options for the compiler in the repo (ContractRegistry.loadFromDirectory) and the
 * code generator (precompiled validators), so both report the same violations.
 * strict: a typo'd keyword in a schema would otherwise silently validate nothing.
 * allErrors: every violation at once. verbose: violations quote the failing field's description
 * (parentSchema, see toViolations).
 */
export const AJV_OPTIONS = { allErrors: true, strict: true, verbose: true } as const;

import type { ValidateFunction } from 'ajv';
import { CATALOGUE } from './generated/catalogue';
import validators from './generated/validators';

export interface PrecompiledContract {
  id: string;
  version: string;
  title?: string;
  /** ajv standalone code generated from the schema (verbose, allErrors): no compilation at run time. */
  validate: ValidateFunction;
}

const byRef = validators as unknown as Readonly<Record<string, ValidateFunction | undefined>>;

/** Typed view of src/generated/validators.js, in catalogue order. */
export const PRECOMPILED_CONTRACTS: readonly PrecompiledContract[] = CATALOGUE.flatMap(({ id, versions }) =>
  versions.map(({ version, title }) => {
    const validate = byRef[`${id}@${version}`];
    // Only possible if generated files were edited by hand or half-regenerated.
    if (typeof validate !== 'function') throw new Error(`generated validators lack ${id}@${version}: run npm run contracts:generate`);
    return { id, version, title, validate };
  }),
);

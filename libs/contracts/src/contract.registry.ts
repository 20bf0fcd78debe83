import type { default as Ajv2020Class } from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import type { default as addFormatsFn } from 'ajv-formats';
import { AJV_OPTIONS } from './ajv.options';
import { ContractError, ContractErrorCode } from './contract.error';
import { contractSchemaId, readContractSchema, readContractSchemas } from './contract.layout';
import { toViolations, type ContractViolation } from './contract-violation.mapper';
import { contractsDirectory } from './contracts-dir';
import { PRECOMPILED_CONTRACTS } from './precompiled';
import { compareSemver } from './semver.compare';

export { contractSchemaId };

interface LoadedContract {
  title?: string;
  validate: ValidateFunction;
  /** The schema itself: kept when loaded from a directory, read on first use for precompiled ones. */
  schema?: Record<string, unknown>;
}

/**
 * The versioned payload schemas of contracts/<id>/<semver>/schema.json. Two ways to build one:
 * - `ContractRegistry.precompiled()`: the validators generated at build time from contracts/
 *   (src/generated/validators.js, `npm run contracts:generate`); no schema is compiled at run time.
 *   This is what the published package uses.
 * - `ContractRegistry.loadFromDirectory(dir)`: compiles a contracts folder once at load (tens of
 *   milliseconds); for the repo itself, where schemas change, and for tests with throw-away schemas.
 * Validating a message costs about a microsecond either way, and both report the same violations.
 */
export class ContractRegistry {
  private readonly contracts = new Map<string, Map<string, LoadedContract>>();

  private constructor() {}

  private add(id: string, version: string, contract: LoadedContract): void {
    let versions = this.contracts.get(id);
    if (!versions) {
      versions = new Map();
      this.contracts.set(id, versions);
    }
    versions.set(version, contract);
  }

  /** The validators generated from contracts/ at build time (shared instance; immutable). */
  static precompiled(): ContractRegistry {
    if (!precompiledRegistry) {
      const registry = new ContractRegistry();
      for (const { id, version, title, validate } of PRECOMPILED_CONTRACTS) registry.add(id, version, { title, validate });
      precompiledRegistry = registry;
    }
    return precompiledRegistry;
  }

  static loadFromDirectory(dir: string): ContractRegistry {
    const files = readContractSchemas(dir);
    // Required here, not at the top: the published package validates with precompiled code only
    // and never loads the schema compiler unless this method is called.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const Ajv2020 = (require('ajv/dist/2020') as { default: typeof Ajv2020Class }).default;
    const addFormats = (require('ajv-formats') as { default: typeof addFormatsFn }).default;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const ajv = new Ajv2020({ ...AJV_OPTIONS });
    addFormats(ajv);
    const registry = new ContractRegistry();
    for (const { id, version, schema } of files) {
      let validate: ValidateFunction;
      try {
        validate = ajv.compile(schema);
      } catch (error) {
        throw new ContractError(ContractErrorCode.INVALID_SCHEMA, `contract ${id}@${version} does not compile: ${(error as Error).message}`, { id, version });
      }
      registry.add(id, version, { title: typeof schema.title === 'string' ? schema.title : undefined, validate, schema });
    }
    return registry;
  }

  has(id: string, version: string): boolean {
    return this.contracts.get(id)?.has(version) ?? false;
  }

  /** Known contract ids, sorted. */
  ids(): string[] {
    return [...this.contracts.keys()].sort();
  }

  /** Known versions of a contract, ascending by SemVer precedence; [] for an unknown contract. */
  versions(id: string): string[] {
    return [...(this.contracts.get(id)?.keys() ?? [])].sort(compareSemver);
  }

  list(): Array<{ id: string; version: string; title?: string }> {
    return this.ids().flatMap((id) =>
      this.versions(id).map((version) => {
        const { title } = this.contracts.get(id)?.get(version) as LoadedContract;
        return title === undefined ? { id, version } : { id, version, title };
      }),
    );
  }

  /** [] when the payload satisfies the contract; otherwise every violation (allErrors). */
  validate(id: string, version: string, payload: unknown): ContractViolation[] {
    const contract = this.contract(id, version);
    return contract.validate(payload) ? [] : toViolations(contract.validate.errors);
  }

  /**
   * The JSON Schema of a contract version (a copy), e.g. for a form that renders it. The precompiled
   * registry holds validators only: it reads contracts/<id>/<version>/schema.json, which ships next
   * to the code (contractsDirectory), on first use. Throws like validate() for an unknown contract.
   */
  schema(id: string, version: string): Record<string, unknown> {
    const contract = this.contract(id, version);
    if (!contract.schema) {
      const dir = contractsDirectory();
      if (!dir) throw new ContractError(ContractErrorCode.INVALID_LAYOUT, `the contracts folder is not installed next to @tongban/contracts; cannot read ${id}@${version}`, { id, version });
      contract.schema = readContractSchema(dir, id, version);
    }
    return structuredClone(contract.schema);
  }

  private contract(id: string, version: string): LoadedContract {
    const versions = this.contracts.get(id);
    if (!versions) {
      throw new ContractError(ContractErrorCode.UNKNOWN_CONTRACT, `unknown contract "${id}"; known contracts: ${this.ids().join(', ') || 'none'}`, { id });
    }
    const contract = versions.get(version);
    if (!contract) {
      const known = this.versions(id);
      throw new ContractError(ContractErrorCode.UNKNOWN_VERSION, `contract "${id}" has no version ${version}; known versions: ${known.join(', ')}`, {
        id,
        version,
        knownVersions: known,
      });
    }
    return contract;
  }
}

let precompiledRegistry: ContractRegistry | undefined;

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError, ContractErrorCode } from './contract.error';
import { compareSemver, isSemver } from './semver.compare';

export const CONTRACT_ID_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** The canonical $id of a contract schema; the folder and the $id must agree. */
export function contractSchemaId(id: string, version: string): string {
  return `https://tongban.example/contracts/${id}/${version}/schema.json`;
}

export interface ContractSchemaFile {
  id: string;
  version: string;
  /** contracts/<id>/<version> */
  dir: string;
  schema: Record<string, unknown>;
}

/**
 * Reads contracts/<id>/<semver>/schema.json, checking the layout (kebab-case ids, SemVer folders,
 * an `$id` that matches the folder). Sorted by id, then by SemVer precedence. Used by the registry
 * (compile at start) and by the code generator (precompiled validators and types).
 */
export function readContractSchemas(dir: string): ContractSchemaFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ContractError(ContractErrorCode.INVALID_LAYOUT, `contracts directory ${dir} does not exist`, { dir });
  }
  const files: ContractSchemaFile[] = [];
  for (const id of readdirSync(dir).sort()) {
    const contractDir = join(dir, id);
    if (!statSync(contractDir).isDirectory()) continue; // README.md and the like
    if (!CONTRACT_ID_RE.test(id)) {
      throw new ContractError(ContractErrorCode.INVALID_LAYOUT, `contract folder "${id}" is not a kebab-case contract id`, { id });
    }
    const versions = readdirSync(contractDir).filter((version) => statSync(join(contractDir, version)).isDirectory()); // not CHANGELOG.md
    for (const version of versions) {
      if (!isSemver(version)) {
        throw new ContractError(ContractErrorCode.INVALID_LAYOUT, `contract ${id}: folder "${version}" is not a semantic version`, { id, version });
      }
    }
    for (const version of versions.sort(compareSemver)) {
      const versionDir = join(contractDir, version);
      files.push({ id, version, dir: versionDir, schema: readSchema(id, version, join(versionDir, 'schema.json')) });
    }
  }
  return files;
}

/** One contract version's schema.json, checked like readContractSchemas does (the $id must match). */
export function readContractSchema(dir: string, id: string, version: string): Record<string, unknown> {
  if (!CONTRACT_ID_RE.test(id) || !isSemver(version)) {
    // Names a folder under dir: never let a caller climb out of it.
    throw new ContractError(ContractErrorCode.INVALID_LAYOUT, `"${id}@${version}" is not a contract id and version`, { id, version });
  }
  return readSchema(id, version, join(dir, id, version, 'schema.json'));
}

function readSchema(id: string, version: string, file: string): Record<string, unknown> {
  if (!existsSync(file)) {
    throw new ContractError(ContractErrorCode.INVALID_LAYOUT, `contract ${id}@${version} has no schema.json`, { id, version });
  }
  let schema: unknown;
  try {
    schema = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ContractError(ContractErrorCode.INVALID_SCHEMA, `contract ${id}@${version}: schema.json is not JSON: ${(error as Error).message}`, { id, version });
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new ContractError(ContractErrorCode.INVALID_SCHEMA, `contract ${id}@${version}: schema.json is not a JSON object`, { id, version });
  }
  const expectedId = contractSchemaId(id, version);
  if ((schema as { $id?: unknown }).$id !== expectedId) {
    // A copied folder that kept the old $id would shadow, or be shadowed by, its original.
    throw new ContractError(ContractErrorCode.INVALID_SCHEMA, `contract ${id}@${version}: $id must be ${expectedId}`, { id, version });
  }
  return schema as Record<string, unknown>;
}

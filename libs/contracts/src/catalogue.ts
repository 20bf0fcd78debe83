import { ContractError, ContractErrorCode } from './contract.error';
import type { ContractCatalogueEntry, ContractVersionInfo } from './catalogue.types';
import { CATALOGUE } from './generated/catalogue';

export interface ContractRef {
  id: string;
  version: string;
}

/** Every contract and version this package was built with (ids sorted, versions ascending). */
export function listContracts(): readonly ContractCatalogueEntry[] {
  return CATALOGUE;
}

/** A contract by id (`case-submission`) or by message type (`case.submission`). */
export function findContract(idOrMessageType: string): ContractCatalogueEntry | undefined {
  return CATALOGUE.find((entry) => entry.id === idOrMessageType || entry.messageType === idOrMessageType);
}

function unknownContract(name: string): ContractError {
  const known = CATALOGUE.map((entry) => `${entry.id} (${entry.messageType})`).join(', ');
  return new ContractError(ContractErrorCode.UNKNOWN_CONTRACT, `unknown contract or message type "${name}"; known: ${known || 'none'}`, { id: name });
}

/**
 * Resolves `TYPE[@VERSION]`, TYPE being a contract id or a message type; without a version, the
 * newest. Throws UNKNOWN_CONTRACT / UNKNOWN_VERSION (the latter listing the known versions).
 */
export function resolveContract(ref: string): ContractRef & { info: ContractVersionInfo; entry: ContractCatalogueEntry } {
  const at = ref.lastIndexOf('@');
  const name = at > 0 ? ref.slice(0, at) : ref;
  const version = at > 0 ? ref.slice(at + 1) : undefined;
  const entry = findContract(name);
  if (!entry) throw unknownContract(name);
  const info = version === undefined ? entry.versions[entry.versions.length - 1] : entry.versions.find((v) => v.version === version);
  if (!info) {
    const knownVersions = entry.versions.map((v) => v.version);
    throw new ContractError(ContractErrorCode.UNKNOWN_VERSION, `contract "${entry.id}" has no version ${String(version)}; known versions: ${knownVersions.join(', ')}`, {
      id: entry.id,
      version,
      knownVersions,
    });
  }
  return { id: entry.id, version: info.version, info, entry };
}

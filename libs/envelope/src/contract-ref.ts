import { EnvelopeError, EnvelopeErrorCode } from './envelope.error';
import type { ContractRef } from './envelope.types';

// Same shapes as the folder names under contracts/: kebab-case id, SemVer 2.0 version without
// build metadata (build metadata has no precedence, so two folders could not be told apart).
const CONTRACT_ID = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
const SEMVER =
  '(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)(?:-(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?';
const CONTRACT_ID_RE = new RegExp(`^${CONTRACT_ID}$`);
const SEMVER_RE = new RegExp(`^${SEMVER}$`);
const CTR_RE = new RegExp(`^(${CONTRACT_ID})@(${SEMVER})$`);

/** Parses a `ctr` header value; null when it is not `<id>@<semver>`. */
export function parseContractRef(ctr: string): ContractRef | null {
  const match = CTR_RE.exec(ctr);
  return match ? { id: match[1], version: match[2] } : null;
}

export function formatContractRef(contract: ContractRef): string {
  if (!CONTRACT_ID_RE.test(contract.id) || !SEMVER_RE.test(contract.version)) {
    throw new EnvelopeError(
      EnvelopeErrorCode.MALFORMED_JWS,
      `contract must be a kebab-case id and a semantic version, got "${contract.id}@${contract.version}"`,
      { ctr: `${contract.id}@${contract.version}` },
    );
  }
  return `${contract.id}@${contract.version}`;
}

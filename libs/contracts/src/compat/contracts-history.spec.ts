import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MESSAGE_TYPE_BY_CONTRACT_ID } from '../message-types';
import { checkCompatibility } from './check-compatibility';
import { diffContractTrees } from './contract-diff';
import { fsTreeReader, readContractTree, type ContractTree } from './contract-tree';
import { BASELINE_FILE_NAME, loadBaselineFile } from './diff-run';

/**
 * The repo's own compatibility gate (issue 3, point 4): every version of every contract in
 * contracts/ is checked against its predecessors under the mode its contract.json declares (all
 * predecessors for the _TRANSITIVE modes). A break fails this test unless
 * contracts/compat-baseline.json accepts it, with a reason. Same engine as `tongban-contracts diff`.
 */
const CONTRACTS_DIR = resolve(__dirname, '../../../../contracts');
const BASELINE_FILE = join(CONTRACTS_DIR, BASELINE_FILE_NAME);

describe('contract version history', () => {
  const tree: ContractTree = readContractTree(fsTreeReader(CONTRACTS_DIR));
  const baseline = loadBaselineFile(BASELINE_FILE);
  const report = diffContractTrees({ label: 'nothing', contracts: new Map() }, tree, { baseline });
  const contracts = [...tree.contracts.values()];

  it('finds the contracts', () => {
    expect(contracts.map((c) => c.id)).toEqual(expect.arrayContaining(['case-submission', 'case-acknowledgement']));
  });

  describe.each(contracts)('$id', (contract) => {
    it('declares its metadata in contract.json, agreeing with the catalogue and the schema title', () => {
      expect(contract.meta).toBeDefined();
      const meta = contract.meta!;
      expect(meta.messageType).toBe(MESSAGE_TYPE_BY_CONTRACT_ID[contract.id]);
      const latest = contract.versions[contract.versions.length - 1].schema as { title?: string };
      expect(latest.title).toBe(`${meta.title.zh} / ${meta.title.en}`);
    });

    it('justifies its compatibility mode in CHANGELOG.md', () => {
      const changelog = join(CONTRACTS_DIR, contract.id, 'CHANGELOG.md');
      expect(existsSync(changelog)).toBe(true);
      expect(readFileSync(changelog, 'utf8')).toContain(`Compatibility mode: \`${contract.meta?.compatibility}\``);
    });

    it('every version is compatible with its predecessors under the declared mode, or the break is baselined', () => {
      const unaccepted = report.versions
        .filter((v) => v.contract === contract.id)
        .flatMap((v) => v.breaking.filter((b) => !b.acceptedBy).map((b) => `${contract.id} ${b.against} → ${v.version} (${v.mode}): ${b.kind} at ${b.pointer || '/'}: ${b.message}`));
      // On failure: either make the change compatible, or publish it as a new major version with a
      // converter and add {contract, from, to, kind, pointer, reason} to contracts/compat-baseline.json.
      expect(unaccepted).toEqual([]);
    });
  });

  it('every baseline entry still accepts a break (no stale entries)', () => {
    expect(report.unusedBaseline).toEqual([]);
  });

  describe.each(contracts)('$id: a deliberately broken candidate is caught', (contract) => {
    const latest = contract.versions[contract.versions.length - 1];
    const history = contract.versions;

    it('a new required property is breaking under BACKWARD', () => {
      const schema = structuredClone(latest.schema) as { properties: Record<string, unknown>; required: string[] };
      schema.properties.districtCode = { description: '区划代码 / District code', type: 'string', pattern: '^[0-9]{6}$' };
      schema.required = [...schema.required, 'districtCode'];
      const result = checkCompatibility(history, { version: '99.0.0', schema }, 'BACKWARD');
      expect(result.compatible).toBe(false);
      expect(result.breaking).toEqual([
        expect.objectContaining({ kind: 'REQUIRED_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL', pointer: '/properties/districtCode', breaksBackward: true, against: latest.version }),
      ]);
    });

    it('a removed enum value or a tightened string is breaking under the declared mode', () => {
      const schema = structuredClone(latest.schema) as Record<string, unknown>;
      const text = JSON.stringify(schema)
        .replace(/"maxLength":(\d+)/, (_m, n: string) => `"maxLength":${Math.max(1, Number(n) - 1)}`)
        .replace(/"enum":\["([^"]+)",/, '"enum":[');
      const result = checkCompatibility(history, { version: '99.0.0', schema: JSON.parse(text) as object }, contract.meta?.compatibility ?? 'BACKWARD');
      expect(result.compatible).toBe(false);
    });
  });
});

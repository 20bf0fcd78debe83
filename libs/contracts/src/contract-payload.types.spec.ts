import { resolve } from 'node:path';
import type { CaseAcknowledgementPayloadV1 } from './case-acknowledgement.payload';
import type { CaseSubmissionPayloadV1 } from './case-submission.payload';
import { ContractRegistry } from './contract.registry';

const CONTRACTS_DIR = resolve(__dirname, '../../../contracts');

/**
 * The payload types are hand-written; this pins them to the schema from the other side: a value
 * built against the type (all optional fields filled) must satisfy the schema. A renamed or
 * added-required field on either side breaks this test or the typecheck.
 */
describe('payload types agree with their schemas', () => {
  const registry = ContractRegistry.loadFromDirectory(CONTRACTS_DIR);

  it('CaseSubmissionPayloadV1', () => {
    const payload: CaseSubmissionPayloadV1 = {
      item: { basicCode: '000105001000', implementationCode: '11440106007502345X4000105001000', name: '个体工商户设立登记' },
      caseType: '2',
      mode: 'REMOTE_COLLECTION',
      applicant: {
        kind: 'LEGAL_PERSON',
        name: '深圳示例有限公司',
        idType: '001',
        idNumber: '91440300MA5F12345X',
        mobile: '13800138000',
        legalRepresentative: { name: '赵六', idType: '111', idNumber: '11010519491231002X' },
      },
      agent: { name: '李四', idType: '414', idNumber: 'E12345678', mobile: '+85261234567' },
      contact: { name: '李四', mobile: '13800138000' },
      mailing: { address: '广东省深圳市罗湖区东门中路1号', postcode: '518001' },
      source: 'MAIL',
      appliedAt: '2026-03-02T09:05:00+08:00',
      collectedBy: { officer: '王五', hallName: '罗湖区政务服务中心', collectedAt: '2026-03-02T09:20:00+08:00' },
      intakeReceipt: { number: 'LH-2026-000123', queryPasswordDigest: `sha256:${'0'.repeat(64)}` },
      materials: [
        {
          code: 'M001',
          name: '申请书',
          form: 'ELECTRONIC',
          count: 1,
          receivedAt: '2026-03-02T09:10:00+08:00',
          file: { digest: `sha256:${'a'.repeat(64)}`, size: 1, mediaType: 'application/pdf', name: 'a.pdf' },
        },
      ],
      originalsMailed: { waybillNumber: 'SF1234567890', carrier: '顺丰速运' },
    };
    expect(registry.validate('case-submission', '1.0.0', payload)).toEqual([]);
  });

  it('CaseAcknowledgementPayloadV1', () => {
    const payload: CaseAcknowledgementPayloadV1 = {
      acknowledgedMessageId: '0192f5c4-8e7a-7c3e-9b1d-4a2f6e8c0d13',
      acknowledgedEnvelopeDigest: `sha256:${'b'.repeat(64)}`,
      signedBy: { officer: '陈七', body: '天河区政务服务数据管理局' },
      signedAt: '2026-03-02T10:02:11+08:00',
      remark: '已签收',
    };
    expect(registry.validate('case-acknowledgement', '1.0.0', payload)).toEqual([]);
  });
});

import { CANONICAL_CODES, loadConfig } from '@tongban/config';
import { join } from 'node:path';
import conclusionSchema from '../../../../contracts/conclusion/1.0.0/schema.json';
import evaluationSchema from '../../../../contracts/evaluation/1.0.0/schema.json';
import { CaseError, CaseErrorCode } from '../case-error';
import { CaseState } from '../case-state';
import { CODED_FIELDS, payloadToCanonical, payloadToPartner, stateForPartner } from './partner-codes';

const ROOT = join(__dirname, '..', '..', '..', '..');
const alliance = loadConfig({ rootDir: ROOT, env: {} }).alliance;
const SHINAN = alliance.district('370202')!; // reporting-interface digits: 1 = 非常不满意
const HUANGDAO = alliance.district('370211')!; // GB/T 39046 digits: 1 = 非常满意
const ZHONGKAI = alliance.district('HZ-ZHONGKAI')!; // canonical codes

const SCHEMAS = { conclusion: conclusionSchema, evaluation: evaluationSchema } as unknown as Record<string, { properties: Record<string, { enum?: unknown }> }>;
const schemaEnum = (contract: string, field: string): unknown => SCHEMAS[contract].properties[field].enum;

function refusal(run: () => unknown): CaseError {
  try {
    run();
  } catch (error) {
    if (error instanceof CaseError) return error;
    throw error;
  }
  throw new Error('expected a CaseError');
}

describe('partner codes at the edge', () => {
  it('translates between the two opposite satisfaction encodings through the canonical name', () => {
    const fromShinan = payloadToCanonical(SHINAN, 'evaluation', { round: 1, level: '1' });
    expect(fromShinan).toEqual({ round: 1, level: 'VERY_DISSATISFIED' });
    expect(payloadToPartner(HUANGDAO, 'evaluation', fromShinan!)).toEqual({ round: 1, level: '5' });
    // A JSON number is read as the digit it is.
    expect(payloadToCanonical(HUANGDAO, 'evaluation', { level: 1 })).toEqual({ level: 'VERY_SATISFIED' });
  });

  it('translates conclusion result codes and leaves other fields and contracts alone', () => {
    const payload = { decision: 'DENIED', resultCode: '3', reasons: ['材料不符'] };
    expect(payloadToCanonical(SHINAN, 'conclusion', payload)).toEqual({ ...payload, resultCode: 'DENIED' });
    expect(payload.resultCode).toBe('3'); // the signed payload is never changed in place
    expect(payloadToPartner(HUANGDAO, 'conclusion', { resultCode: 'DENIED' })).toEqual({ resultCode: '2' });
    expect(payloadToCanonical(SHINAN, 'acceptance', { resultCode: '3' })).toBeUndefined();
    expect(payloadToCanonical(ZHONGKAI, 'conclusion', payload)).toBeUndefined();
    expect(payloadToPartner(ZHONGKAI, 'evaluation', { level: 'SATISFIED' })).toBeUndefined();
  });

  it('refuses an unmapped code with UNMAPPED_CODE, naming the table to extend', () => {
    for (const level of ['6', 'VERY_SATISFIED', null]) {
      const error = refusal(() => payloadToCanonical(SHINAN, 'evaluation', { level }));
      expect(error.code).toBe(CaseErrorCode.UNMAPPED_CODE);
      expect(error.message).toContain('alliance.districts[6].codes.satisfactionLevel');
      expect(error.detail).toMatchObject({ pointer: '/payload/level', table: 'satisfactionLevel', knownCodes: ['1', '2', '3', '4', '5'] });
    }
  });

  it('shows a district the case state in its own status codes, when it has a caseState table', () => {
    expect(stateForPartner(SHINAN, CaseState.IN_REVIEW)).toBe('30');
    expect(stateForPartner(HUANGDAO, CaseState.IN_REVIEW)).toBeUndefined();
    expect(stateForPartner(undefined, CaseState.IN_REVIEW)).toBeUndefined();
  });

  it('repeats exactly the canonical enums config validates tables against', () => {
    expect([...CANONICAL_CODES.caseState].sort()).toEqual(Object.values(CaseState).sort());
    expect(schemaEnum('conclusion', 'resultCode')).toEqual(CANONICAL_CODES.resultCode);
    expect(schemaEnum('evaluation', 'level')).toEqual(CANONICAL_CODES.satisfactionLevel);
    for (const [contract, fields] of Object.entries(CODED_FIELDS)) {
      for (const { field, table } of fields) expect(schemaEnum(contract, field)).toEqual(CANONICAL_CODES[table]);
    }
  });
});

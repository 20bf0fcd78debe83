import { loadConfig } from '@tongban/config';
import { join } from 'node:path';
import { CaseError, CaseErrorCode } from '../case-error';
import { negotiateContract } from './contract-negotiation';

const alliance = loadConfig({ rootDir: join(__dirname, '..', '..', '..', '..'), env: {} }).alliance;
/** The demo alliance with one district's declared versions replaced. */
const withAccepts = (district: string, versions: string[]) => ({
  ...alliance,
  district: (id: string) => {
    const d = alliance.district(id);
    return d && id === district ? { ...d, acceptsContracts: { ...d.acceptsContracts, 'case-submission': versions } } : d;
  },
});

describe('negotiateContract', () => {
  it('keeps a version the recipient accepts', () => {
    expect(negotiateContract(alliance, 'case-submission', '1.0.0', 'HZ-ZHONGKAI', '440303')).toEqual({ version: '1.0.0' });
  });

  it('picks a declared converter to the version the recipient accepts', () => {
    const down = negotiateContract(alliance, 'case-submission', '2.0.0', 'HZ-ZHONGKAI', '440106');
    expect(down.version).toBe('1.0.0');
    expect(down.converter).toMatchObject({ from: '2.0.0', to: '1.0.0' });
  });

  it('refuses when no converter leads to a version the recipient accepts, naming both sides', () => {
    let error: unknown;
    try {
      negotiateContract(withAccepts('440303', ['3.0.0']), 'case-submission', '1.0.0', 'HZ-ZHONGKAI', '440303');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CaseError);
    expect(error).toMatchObject({
      code: CaseErrorCode.CONTRACT_VERSION_NOT_ACCEPTED,
      detail: { recipientAccepts: ['3.0.0'], senderAccepts: ['1.0.0', '2.0.0'] },
    });
  });

  it('refuses an unknown recipient', () => {
    expect(() => negotiateContract(alliance, 'case-submission', '1.0.0', 'HZ-ZHONGKAI', '999999')).toThrow(
      expect.objectContaining({ code: CaseErrorCode.UNKNOWN_DISTRICT }),
    );
  });
});

import { parseAlliance } from './alliance.parser';
import demo from '../../../config/alliance/demo.json';

const alliance = parseAlliance(demo, { rootDir: '/r', pkiDir: '/r/pki' });
const NO_CRIMINAL_RECORD = demo.items['no-criminal-record'];
const QD_LLC = demo.items['qd-llc-registration'];

describe('AllianceRegistry', () => {
  it('finds the agreement in the declared direction, by basic or implementation code', () => {
    const byBasic = alliance.findAgreement('HZ-ZHONGKAI', '440303', NO_CRIMINAL_RECORD.basicCode);
    expect(byBasic?.agreement.id).toBe('HZZK-440303');
    expect(byBasic?.item.name).toBe('无犯罪记录证明开具');
    expect(alliance.findAgreement('HZ-ZHONGKAI', '440303', NO_CRIMINAL_RECORD.implementationCode)).toEqual(byBasic);
  });

  it('finds a bidirectional agreement in the reverse direction too', () => {
    expect(alliance.findAgreement('440303', 'HZ-ZHONGKAI', NO_CRIMINAL_RECORD.basicCode)?.agreement.id).toBe('HZZK-440303');
    expect(alliance.findAgreement('370211', '370202', QD_LLC.implementationCode)?.agreement.id).toBe('QD-370202-370211');
  });

  it('does not reverse a one-way agreement', () => {
    // Zhongkai collects for Tianhe, not the other way round.
    expect(alliance.findAgreement('HZ-ZHONGKAI', '440106', NO_CRIMINAL_RECORD.basicCode)?.agreement.id).toBe('HZZK-440106');
    expect(alliance.findAgreement('440106', 'HZ-ZHONGKAI', NO_CRIMINAL_RECORD.basicCode)).toBeUndefined();
  });

  it('returns undefined for an item the agreement does not cover, or districts without one', () => {
    // Bao'an's agreement covers company and individual business registration only.
    expect(alliance.findAgreement('HZ-ZHONGKAI', '440306', NO_CRIMINAL_RECORD.basicCode)).toBeUndefined();
    // Guangdong's implementation code is not Qingdao's, even for the same basic item.
    expect(alliance.findAgreement('370202', '370203', demo.items['llc-registration'].implementationCode)).toBeUndefined();
    // Same province, no agreement between the two Shenzhen districts.
    expect(alliance.findAgreement('440303', '440304', NO_CRIMINAL_RECORD.basicCode)).toBeUndefined();
    expect(alliance.findAgreement('nowhere', 'HZ-ZHONGKAI', NO_CRIMINAL_RECORD.basicCode)).toBeUndefined();
  });

  it('lists partners in either direction, in file order', () => {
    expect(alliance.partnersOf('HZ-ZHONGKAI')).toEqual(['440303', '440304', '440306', '440309', '440106']);
    expect(alliance.partnersOf('440106')).toEqual(['HZ-ZHONGKAI']);
    expect(alliance.partnersOf('370203')).toEqual(['370202', '370211']);
    expect(alliance.partnersOf('unknown')).toEqual([]);
  });

  it('looks districts up by id', () => {
    expect(alliance.district('370211')?.name).toBe('青岛市黄岛区(西海岸新区)');
    expect(alliance.district('370213')).toBeUndefined();
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CalendarErrorCode, loadCalendars } from '@tongban/calendar';
import cn2025 from '../../../config/calendars/CN-2025.json';
import cn2026 from '../../../config/calendars/CN-2026.json';

describe('loadCalendars', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tongban-calendars-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown): void => {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  };
  const failure = (problem: string | RegExp): void =>
    expect(() => loadCalendars(dir)).toThrow(expect.objectContaining({ code: CalendarErrorCode.INVALID_CALENDAR_FILE, message: expect.stringMatching(problem) }));

  it('loads the repository calendars', () => {
    const set = loadCalendars(resolve(__dirname, '../../../config/calendars'));
    expect(set.years).toEqual([2025, 2026]);
    expect(set.overriddenDistricts).toEqual(['HZ-ZHONGKAI']);
  });

  it('works without an overrides folder, and ignores non-JSON files', () => {
    write('CN-2025.json', cn2025);
    write('README.md', '# notes');
    const set = loadCalendars(dir);
    expect(set.years).toEqual([2025]);
    expect(set.forDistrict('HZ-ZHONGKAI').isWorkingDay('2025-03-01')).toBe(false);
  });

  it('refuses a missing directory, an empty one, a misnamed year file, bad JSON', () => {
    rmSync(dir, { recursive: true });
    failure('does not exist');
    mkdirSync(dir);
    failure('No national calendar');
    write('cn-2025.json', cn2025);
    failure('national calendars are named CN-<year>.json');
    rmSync(join(dir, 'cn-2025.json'));
    write('CN-2025.json', '{ "country": "CN", ');
    failure(/CN-2025\.json: not JSON/);
  });

  it('refuses a file whose year differs from its name', () => {
    write('CN-2027.json', cn2026);
    failure(/CN-2027\.json at year: must be 2027/);
  });

  it('refuses an override whose district differs from its file name', () => {
    write('CN-2025.json', cn2025);
    write('overrides/440303.json', { district: '440304', extraHolidays: ['2025-06-09'] });
    failure(/440303\.json at district: must be "440303"/);
  });

  it('merges a notice that reaches back into December, and refuses two notices that disagree about a day', () => {
    write('CN-2025.json', cn2025);
    // the 2026 notice may start 元旦 on 2025-12-31 (as the 2024 notice started it on 2023-12-30)
    write('CN-2026.json', { ...cn2026, holidays: [{ name: '元旦', from: '2025-12-31', to: '2026-01-03' }, ...cn2026.holidays.slice(1)] });
    expect(loadCalendars(dir).national().dayInfo('2025-12-31')).toMatchObject({ working: false, holiday: '元旦' });
    // but a day cannot be a holiday in one file and a make-up working day in another
    write('CN-2025.json', { ...cn2025, holidays: [...cn2025.holidays, { name: '元旦', from: '2025-12-27', to: '2025-12-28' }] });
    write('CN-2026.json', { ...cn2026, makeUpWorkingDays: [{ date: '2025-12-28', for: '元旦' }, ...cn2026.makeUpWorkingDays] });
    failure(/CN-2026\.json at makeUpWorkingDays: 2025-12-28 is a holiday in another file/);
  });
});

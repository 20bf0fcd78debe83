import { COMPOUND_SURNAMES, joinPersonName, splitPersonName } from './person-name';

describe('splitPersonName', () => {
  it.each([
    // Chinese names: first character, or a compound surname when the name has ≥ 3 characters
    ['张三', '张', '三'],
    ['王小明', '王', '小明'],
    ['李小龙龙', '李', '小龙龙'],
    ['欧阳娜娜', '欧阳', '娜娜'],
    ['司马光', '司马', '光'],
    ['诸葛亮', '诸葛', '亮'],
    ['上官婉儿', '上官', '婉儿'],
    ['欧阳', '欧', '阳'], // two characters: single surname + single given name
    ['司马', '司', '马'],
    ['歐陽修', '歐陽', '修'], // traditional form
    ['乐正华', '乐', '正华'], // 乐正 left out of the list on purpose
    ['𠀾小明', '𠀾', '小明'], // CJK extension B (surrogate pair) is one character
    ['  张三  ', '张', '三'],
    // names with a middle dot: given name first, family name after the last dot
    ['阿依古丽·买买提', '买买提', '阿依古丽'],
    ['约翰·菲茨杰拉德·肯尼迪', '肯尼迪', '约翰·菲茨杰拉德'],
    ['阿依古丽•买买提', '买买提', '阿依古丽'], // look-alike dot (U+2022)
    ['阿依古丽・买买提', '买买提', '阿依古丽'], // katakana middle dot (U+30FB)
    ['阿依古丽 · 买买提', '买买提', '阿依古丽'],
    // no Han character: the last word is the family name
    ['John Smith', 'Smith', 'John'],
    ['Mary Ann  Smith', 'Smith', 'Mary Ann'],
  ])('%s → %s / %s', (name, familyName, givenName) => {
    expect(splitPersonName(name)).toEqual({ familyName, givenName });
  });

  it.each([['王'], ['𠀾'], ['Madonna'], ['·买买提'], ['阿依古丽·'], ['·'], ['   ']])('cannot split %j (never invents a part)', (name) => {
    expect(splitPersonName(name)).toBeUndefined();
  });

  it('knows the compound surnames the converters promise', () => {
    for (const s of ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '令狐', '端木', '独孤', '南宫', '西门', '百里', '呼延', '轩辕', '澹台', '公冶', '太史', '申屠', '钟离', '闻人', '赫连']) {
      expect([s, COMPOUND_SURNAMES.has(s)]).toEqual([s, true]);
    }
    for (const s of COMPOUND_SURNAMES) expect([...s]).toHaveLength(2);
  });
});

describe('joinPersonName', () => {
  it.each([
    ['张', '三', '张三'],
    ['欧阳', '娜娜', '欧阳娜娜'],
    ['司马', '光', '司马光'],
    ['李', '小龙龙', '李小龙龙'],
    ['买买提', '阿依古丽', '阿依古丽·买买提'], // not a Chinese surname shape: given·family
    ['肯尼迪', '约翰·菲茨杰拉德', '约翰·菲茨杰拉德·肯尼迪'],
    ['张李', '明', '明·张李'], // 张李明 would split as 张 / 李明: kept apart with the dot
    ['Smith', 'John', 'John Smith'],
    ['Smith', 'Mary Ann', 'Mary Ann Smith'],
    [' 张 ', ' 三', '张三'],
  ])('%s + %s → %s', (familyName, givenName, name) => {
    expect(joinPersonName(familyName, givenName)).toBe(name);
  });

  it.each([
    ['张三'], ['欧阳娜娜'], ['司马光'], ['诸葛亮'], ['李小龙龙'], ['司马'], ['阿依古丽·买买提'], ['约翰·菲茨杰拉德·肯尼迪'], ['John Smith'], ['Mary Ann Smith'],
  ])('1.x → 2.x → 1.x keeps %s', (name) => {
    const parts = splitPersonName(name)!;
    expect(joinPersonName(parts.familyName, parts.givenName)).toBe(name);
  });

  it('documented limits of the round trip: dotted names whose parts read as a Chinese name, look-alike dots, spaces in Chinese names', () => {
    const rejoin = (name: string): string => {
      const parts = splitPersonName(name)!;
      return joinPersonName(parts.familyName, parts.givenName);
    };
    expect(rejoin('安娜·王')).toBe('王安娜');
    expect(rejoin('阿依古丽•买买提')).toBe('阿依古丽·买买提');
    expect(rejoin('张 三')).toBe('张三');
  });

  it.each([
    ['张', '三'], ['欧阳', '娜娜'], ['买买提', '阿依古丽'], ['张李', '明'], ['艾力', '帕尔哈提'], ['肯尼迪', '约翰·菲茨杰拉德'], ['Smith', 'John'], ['王', '安娜'],
  ])('2.x → 1.x → 2.x keeps %s / %s', (familyName, givenName) => {
    expect(splitPersonName(joinPersonName(familyName, givenName))).toEqual({ familyName, givenName });
  });
});

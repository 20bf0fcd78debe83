/**
 * Splitting a full personal name (case-submission 1.x `applicant.name`) into family and given name
 * (2.x `familyName` / `givenName`), and joining them back. Pure string functions, no I/O, no
 * dependency. The rules (also in libs/contracts/README.md, "Versions side by side and converters"):
 *
 * 1. A name written with a middle dot (`·`, or a look-alike `•` `‧` `・` `･` `∙`) follows the
 *    Chinese convention for minority and foreign names, given name first: the family name is the
 *    part after the LAST dot, the given name everything before it (inner dots kept as written).
 *    阿依古丽·买买提 → 买买提 / 阿依古丽; 约翰·菲茨杰拉德·肯尼迪 → 肯尼迪 / 约翰·菲茨杰拉德.
 * 2. A name without any Han character (Latin letters, …) is split at the last run of whitespace:
 *    family = the last word, given = the words before it. John Ronald Smith → Smith / John Ronald.
 * 3. Any other name is a Chinese name, family name first: the family name is the first character,
 *    or the first two when the name has at least three characters and they are a compound surname
 *    of COMPOUND_SURNAMES. 张三 → 张 / 三; 司马光 → 司马 / 光; 欧阳娜娜 → 欧阳 / 娜娜; 司马 → 司 / 马
 *    (two characters: a single surname and a single given name).
 * 4. Both parts are trimmed and must be non-empty (2.x requires both): a name that leaves one empty
 *    (one character, one Latin word, a dot at either end) cannot be split, and `splitPersonName`
 *    returns undefined. A part is never invented.
 *
 * Joining is the inverse: `joinPersonName` writes the full name that `splitPersonName` splits back
 * into exactly the same parts, preferring the Chinese order (family + given, no separator); when
 * that does not split back, given + ' ' + family for names with neither Han characters nor dots,
 * else given + '·' + family. So 2.x → 1.x → 2.x keeps the parts, and 1.x → 2.x → 1.x keeps every
 * name except a dotted name whose parts also read as a Chinese name (安娜·王 → 王 / 安娜 → 王安娜),
 * look-alike dots (normalised to `·`) and inner whitespace of Chinese names (张 三 → 张三). Whatever
 * a converter cannot know (a Mongolian or Tibetan name without a surname, 扎西 → 扎 / 西; a
 * combined surname such as 张李; a Latin name written family name first) it splits by these rules:
 * a partner that knows better sends 2.x itself.
 */

/**
 * Compound surnames (复姓) in use today, simplified and traditional forms. Deliberately left out:
 * historical ones whose first character is a common surname and second a common given-name
 * character (乐正, 归海, 宗政, 濮阳, 段干, 单于 …): mis-splitting 乐正华 as 乐正 / 华 would hurt far
 * more people than the few who carry them.
 */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  // simplified
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '令狐',
  '端木', '独孤', '南宫', '西门', '百里', '呼延', '轩辕', '澹台', '公冶', '太史', '申屠', '钟离', '闻人', '赫连',
  '万俟', '淳于', '司空', '拓跋', '鲜于', '闾丘', '公羊', '左丘', '第五', '东郭', '子车', '颛孙', '巫马', '漆雕',
  '亓官', '壤驷', '公西', '梁丘', '羊舌', '微生', '夹谷', '谷梁', '宰父',
  // traditional (Hong Kong, Macao, Taiwan residents)
  '歐陽', '司馬', '諸葛', '東方', '尉遲', '公孫', '長孫', '獨孤', '南宮', '西門', '軒轅', '澹臺', '鍾離', '鐘離',
  '聞人', '赫連', '萬俟', '鮮于', '閭丘', '東郭', '顓孫', '壤駟',
]);

/** The middle dot of minority and foreign names, and the look-alikes typed in its place. */
const NAME_DOTS = '\u00B7\u2022\u2027\u30FB\uFF65\u2219';
const DOT_RE = new RegExp(`[${NAME_DOTS}]`);
const HAN_RE = /\p{Script=Han}/u;

export interface PersonNameParts {
  familyName: string;
  givenName: string;
}

function lastDotIndex(name: string): number {
  let index = -1;
  for (const dot of NAME_DOTS) index = Math.max(index, name.lastIndexOf(dot));
  return index;
}

const parts = (familyName: string, givenName: string): PersonNameParts | undefined => {
  const family = familyName.trim();
  const given = givenName.trim();
  return family !== '' && given !== '' ? { familyName: family, givenName: given } : undefined;
};

/** Family and given name of a full personal name by the rules above; undefined when it cannot be split. */
export function splitPersonName(fullName: string): PersonNameParts | undefined {
  const name = fullName.trim();
  const dot = lastDotIndex(name);
  if (dot >= 0) return parts(name.slice(dot + 1), name.slice(0, dot));
  if (!HAN_RE.test(name)) {
    const match = /^(.*\S)\s+(\S+)$/su.exec(name);
    return match ? parts(match[2], match[1]) : undefined;
  }
  const chars = [...name]; // code points: CJK extension characters are surrogate pairs
  const surnameLength = chars.length >= 3 && COMPOUND_SURNAMES.has(chars[0] + chars[1]) ? 2 : 1;
  return parts(chars.slice(0, surnameLength).join(''), chars.slice(surnameLength).join(''));
}

/** The full name that splitPersonName splits back into these parts (see above). */
export function joinPersonName(familyName: string, givenName: string): string {
  const family = familyName.trim();
  const given = givenName.trim();
  const chinese = family + given;
  const back = splitPersonName(chinese);
  if (back && back.familyName === family && back.givenName === given) return chinese;
  if (!HAN_RE.test(chinese) && !DOT_RE.test(chinese)) return `${given} ${family}`;
  return `${given}\u00B7${family}`;
}

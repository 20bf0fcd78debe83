import { ContractConversionError, type ContractConverter } from './contract-converter';
import { joinPersonName, splitPersonName } from './person-name';

/**
 * case-submission 1.0.0 ⇄ 2.0.0. The only difference between the versions is the applicant's
 * name (contracts/case-submission/CHANGELOG.md): 1.0.0 `applicant.name`; 2.0.0 `familyName` +
 * `givenName` for a natural person, `organizationName` for a legal person. Every other field is
 * copied as is; the applicant's other properties keep their order, the name fields take the place
 * of the one they replace.
 */
const ID = 'case-submission';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A deep copy of the payload and its applicant, or ContractConversionError SOURCE_NOT_VALID. */
function copyWithApplicant(payload: unknown, from: string, to: string): { copy: Json; applicant: Json } {
  if (!isObject(payload)) throw new ContractConversionError('SOURCE_NOT_VALID', ID, from, to, '', `the payload must be a ${ID}@${from} object`);
  const copy = structuredClone(payload);
  const { applicant } = copy;
  if (!isObject(applicant)) throw new ContractConversionError('SOURCE_NOT_VALID', ID, from, to, '/applicant', 'the applicant object is missing');
  if (applicant.kind !== 'NATURAL_PERSON' && applicant.kind !== 'LEGAL_PERSON') {
    throw new ContractConversionError('SOURCE_NOT_VALID', ID, from, to, '/applicant/kind', 'the applicant kind must be NATURAL_PERSON or LEGAL_PERSON');
  }
  return { copy, applicant };
}

/** The applicant with `replaced` removed and `fields` inserted where the first of them stood. */
function replaceFields(applicant: Json, replaced: readonly string[], fields: Json): Json {
  const out: Json = {};
  let inserted = false;
  for (const [key, value] of Object.entries(applicant)) {
    if (replaced.includes(key)) {
      if (!inserted) Object.assign(out, fields);
      inserted = true;
    } else {
      out[key] = value;
    }
  }
  return inserted ? out : { ...out, ...fields };
}

const requireString = (applicant: Json, field: string, from: string, to: string): string => {
  const value = applicant[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ContractConversionError('SOURCE_NOT_VALID', ID, from, to, `/applicant/${field}`, `the applicant ${field} must be non-empty text`);
  }
  return value;
};

/** 1.0.0's limit on applicant.name ($defs/text maxLength, in code points as JSON Schema counts). */
const NAME_MAX_LENGTH = 200;

export const CASE_SUBMISSION_1_TO_2: ContractConverter = {
  contractId: ID,
  from: '1.0.0',
  to: '2.0.0',
  reason:
    '2.0.0 splits the applicant name (household-registration and e-certificate matching need family and given name; a legal person has an organisation name): ' +
    'a natural person\'s name is split (a name with "·": family name after the last "·"; a Latin name: the last word; otherwise the first character, or a known compound surname), ' +
    'a legal person\'s name becomes organizationName; a name that cannot be split (one character, one word) is refused, never guessed',
  convert(payload: unknown): unknown {
    const [from, to] = ['1.0.0', '2.0.0'];
    const { copy, applicant } = copyWithApplicant(payload, from, to);
    const name = requireString(applicant, 'name', from, to);
    let fields: Json;
    if (applicant.kind === 'LEGAL_PERSON') {
      fields = { organizationName: name };
    } else {
      const split = splitPersonName(name);
      if (!split) {
        throw new ContractConversionError(
          'NOT_REPRESENTABLE',
          ID,
          from,
          to,
          '/applicant/name',
          'the applicant name cannot be split into a family and a given name (one character or one word): the sender must send 2.0.0 with familyName and givenName',
        );
      }
      fields = { familyName: split.familyName, givenName: split.givenName };
    }
    copy.applicant = replaceFields(applicant, ['name'], fields);
    return copy;
  },
};

export const CASE_SUBMISSION_2_TO_1: ContractConverter = {
  contractId: ID,
  from: '2.0.0',
  to: '1.0.0',
  reason:
    '1.0.0 has one applicant name: a natural person\'s familyName and givenName are joined (Chinese order without separator when the parts read as a Chinese name, ' +
    'otherwise given name first, joined with "·", or a space for Latin names), a legal person\'s organizationName becomes name',
  convert(payload: unknown): unknown {
    const [from, to] = ['2.0.0', '1.0.0'];
    const { copy, applicant } = copyWithApplicant(payload, from, to);
    let name: string;
    if (applicant.kind === 'LEGAL_PERSON') {
      name = requireString(applicant, 'organizationName', from, to);
    } else {
      name = joinPersonName(requireString(applicant, 'familyName', from, to), requireString(applicant, 'givenName', from, to));
      if ([...name].length > NAME_MAX_LENGTH) {
        throw new ContractConversionError('NOT_REPRESENTABLE', ID, from, to, '/applicant/givenName', `the joined applicant name is longer than the ${NAME_MAX_LENGTH} characters 1.0.0 allows`);
      }
    }
    copy.applicant = replaceFields(applicant, ['familyName', 'givenName', 'organizationName'], { name });
    return copy;
  },
};

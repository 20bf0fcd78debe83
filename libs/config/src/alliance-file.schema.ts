import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { AGREEMENT_MODES, TIME_UNITS, type AgreementMode, type TimeUnit } from './app-config.types';
import { ID_PATTERN, isUrlWithScheme } from './gateway-config.schema';
import { Satisfies, msg } from './schema.validator';
import { isValidUscc } from './uscc.check-digit';

/**
 * class-validator schema of the alliance file (config/alliance/*.json). It checks the shape of each
 * record; references between records (districts named by agreements, item keys) are resolved in
 * alliance.parser.ts, which needs the whole file at once.
 */

/** Item catalogue keys: kebab-case so they read well in key paths (`alliance.items.no-criminal-record`). */
export const ITEM_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

const TEXT = 'must be a non-empty string';
const BOOL = 'must be true or false';
const OBJECT = 'must be an object of the documented shape';
const UNIT = `must be one of ${TIME_UNITS.join(', ')}`;
const LIMIT_VALUE = 'must be an integer, 0 or more (0 = on the spot)';

export class TimeLimitSchema {
  @IsInt(msg(LIMIT_VALUE)) @Min(0, msg(LIMIT_VALUE))
  value!: number;

  @IsIn(TIME_UNITS, msg(UNIT))
  unit!: TimeUnit;
}

/** Compares two limits only when they share a unit: working vs natural days needs a calendar. */
function withinLimit(promised: unknown, statutory: unknown): boolean {
  if (!isLimit(promised) || !isLimit(statutory) || promised.unit !== statutory.unit) return true;
  return promised.value <= statutory.value;
}

function isLimit(value: unknown): value is { value: number; unit: string } {
  return typeof value === 'object' && value !== null && typeof (value as { value: unknown }).value === 'number' && typeof (value as { unit: unknown }).unit === 'string';
}

export class MaterialSchema {
  @IsString(msg(TEXT)) @MinLength(1, msg(TEXT)) code!: string;
  @IsString(msg(TEXT)) @MinLength(1, msg(TEXT)) name!: string;
  @IsString(msg(TEXT)) @MinLength(1, msg(TEXT)) nameEn!: string;
  @IsBoolean(msg(BOOL)) originalRequired!: boolean;
  @IsInt(msg('must be an integer, 0 or more')) @Min(0, msg('must be an integer, 0 or more')) copies!: number;
  @IsBoolean(msg(BOOL)) mandatory!: boolean;

  // 容缺 lets a *required* material arrive after acceptance; an optional one needs no promise.
  @IsBoolean(msg(BOOL))
  @Satisfies('toleratedOnlyIfMandatory', (v, o) => v !== true || o.mandatory === true, 'may be true only when mandatory is true (容缺 defers a required material)')
  tolerable!: boolean;
}

const LIMIT_OBJECT = 'must be { "value": <integer>, "unit": <time unit> }';

export class CatalogueItemSchema {
  @IsString(msg(TEXT)) @MinLength(1, msg(TEXT)) basicCode!: string;
  @IsString(msg(TEXT)) @MinLength(1, msg(TEXT)) implementationCode!: string;
  @IsString(msg(TEXT)) @MinLength(1, msg(TEXT)) name!: string;
  @IsString(msg(TEXT)) @MinLength(1, msg(TEXT)) nameEn!: string;

  @IsString(msg('must be a two-digit GB/T 39046 item type code, e.g. "01" 行政许可 or "20" 公共服务'))
  @Matches(/^[0-9]{2}$/, msg('must be a two-digit GB/T 39046 item type code, e.g. "01" 行政许可 or "20" 公共服务'))
  itemType!: string;

  @IsDefined(msg(LIMIT_OBJECT)) @IsObject(msg(LIMIT_OBJECT)) @ValidateNested() @Type(() => TimeLimitSchema)
  statutoryLimit!: TimeLimitSchema;

  @IsOptional() @IsObject(msg(LIMIT_OBJECT)) @ValidateNested() @Type(() => TimeLimitSchema)
  statutoryExtension?: TimeLimitSchema;

  // A promise longer than the law allows would let the hall "keep its promise" while breaking the law.
  @IsDefined(msg(LIMIT_OBJECT))
  @IsObject(msg(LIMIT_OBJECT))
  @ValidateNested()
  @Type(() => TimeLimitSchema)
  @Satisfies('promisedWithinStatutory', (v, o) => withinLimit(v, o.statutoryLimit), 'must not exceed statutoryLimit (承诺时限 ≤ 法定时限)')
  promisedLimit!: TimeLimitSchema;

  @IsBoolean(msg(BOOL)) supportsCourier!: boolean;

  @IsArray(msg('must be an array of materials'))
  @ArrayNotEmpty(msg('must list at least one material'))
  @ValidateNested({ each: true })
  @Type(() => MaterialSchema)
  materials!: MaterialSchema[];
}

/** An item written out inside an agreement instead of referenced: it carries its own key. */
export class InlineItemSchema extends CatalogueItemSchema {
  @IsString(msg(`must match ${ITEM_KEY_PATTERN}`)) @Matches(ITEM_KEY_PATTERN, msg(`must match ${ITEM_KEY_PATTERN}`))
  key!: string;
}

const HTTPS = 'must be an https:// URL (pushes go over mutual TLS)';

export class PushSchema {
  @Satisfies('isHttpsUrl', (v) => isUrlWithScheme(v, ['https:']), HTTPS)
  url!: string;
}

export class DistrictSchema {
  @IsString(msg(`must match ${ID_PATTERN}`)) @Matches(ID_PATTERN, msg(`must match ${ID_PATTERN}`))
  id!: string;

  @Satisfies('isRegionCodeOrNull', (v) => v === null || (typeof v === 'string' && /^[0-9]{6}$/.test(v)), 'must be a 6-digit administrative division code, or null for a zone without one')
  regionCode!: string | null;

  @IsString(msg(TEXT)) @MinLength(1, msg(TEXT)) name!: string;
  @IsString(msg(TEXT)) @MinLength(1, msg(TEXT)) nameEn!: string;

  @Satisfies('isUscc', (v) => typeof v === 'string' && isValidUscc(v), 'must be an 18-character unified social credit code with a valid GB 32100 check character')
  serviceCentreUscc!: string;

  @IsOptional() @IsObject(msg('must be { "url": "https://..." } or absent (the district pulls)')) @ValidateNested() @Type(() => PushSchema)
  push?: PushSchema;

  @IsString(msg('must be a path to the district signing JWKS (pki:<path> = inside the PKI directory)'))
  @MinLength(1, msg(TEXT))
  jwks!: string;

  // Checked entry by entry in alliance.parser.ts, to name the exact failing contract.
  @IsObject(msg('must be an object: contract name → array of accepted versions'))
  acceptsContracts!: Record<string, unknown>;

  // The district's own codes, translated at the edge; checked table by table in code-tables.ts.
  @IsOptional()
  @IsObject(msg('must be an object: table name → { partner code: canonical value }'))
  codes?: Record<string, unknown>;
}

export class HandoffLimitsSchema {
  @IsDefined(msg(LIMIT_OBJECT)) @IsObject(msg(LIMIT_OBJECT)) @ValidateNested() @Type(() => TimeLimitSchema) dispatch!: TimeLimitSchema;
  @IsDefined(msg(LIMIT_OBJECT)) @IsObject(msg(LIMIT_OBJECT)) @ValidateNested() @Type(() => TimeLimitSchema) acknowledge!: TimeLimitSchema;
  @IsDefined(msg(LIMIT_OBJECT)) @IsObject(msg(LIMIT_OBJECT)) @ValidateNested() @Type(() => TimeLimitSchema) mailOriginals!: TimeLimitSchema;
}

export class AgreementSchema {
  @IsString(msg(`must match ${ID_PATTERN}`)) @Matches(ID_PATTERN, msg(`must match ${ID_PATTERN}`))
  id!: string;

  @IsString(msg('must be a district id')) @MinLength(1, msg('must be a district id')) collectingDistrict!: string;
  @IsString(msg('must be a district id')) @MinLength(1, msg('must be a district id')) approvingDistrict!: string;
  @IsBoolean(msg(BOOL)) bidirectional!: boolean;

  @IsIn(AGREEMENT_MODES, msg(`must be one of ${AGREEMENT_MODES.join(', ')}`))
  mode!: AgreementMode;

  @IsDefined(msg(OBJECT)) @IsObject(msg(OBJECT)) @ValidateNested() @Type(() => HandoffLimitsSchema)
  handoffLimits!: HandoffLimitsSchema;

  // Entries are catalogue keys or inline items; resolved in alliance.parser.ts.
  @IsArray(msg('must be a non-empty array of item keys or inline items'))
  @ArrayNotEmpty(msg('must be a non-empty array of item keys or inline items'))
  items!: unknown[];
}

export class AllianceFileSchema {
  @IsArray(msg('must be a non-empty array of districts'))
  @ArrayNotEmpty(msg('must be a non-empty array of districts'))
  @ValidateNested({ each: true })
  @Type(() => DistrictSchema)
  districts!: DistrictSchema[];

  // Checked entry by entry in alliance.parser.ts: class-validator cannot walk a keyed record.
  @IsOptional()
  @IsObject(msg('must be an object: item key → item'))
  items?: Record<string, unknown>;

  @IsArray(msg('must be an array of agreements'))
  @ValidateNested({ each: true })
  @Type(() => AgreementSchema)
  agreements!: AgreementSchema[];
}

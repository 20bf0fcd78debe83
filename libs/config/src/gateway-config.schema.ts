import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateNested,
  isFQDN,
  isIP,
} from 'class-validator';
import { LOG_LEVELS, MATERIAL_STORES, type LogLevel, type MaterialStoreKind } from './app-config.types';
import { Satisfies, msg } from './schema.validator';

/**
 * class-validator schema of the gateway settings after env overrides are merged in, before paths
 * are resolved. Internal: consumers see AppConfig.
 */

/** Same alphabet as the PKI layout's subject ids: ids become path segments, URNs and AMQP names. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Same alphabet and length as the broker topology accepts for its name prefix (@tongban/messaging amqpTopology). */
export const AMQP_PREFIX_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;

const AMQP_PREFIX = `must match ${AMQP_PREFIX_PATTERN} (1 to 100 letters, digits, '_', '.' or '-'); unset it for the default 'tongban'`;
const PORT = 'must be an integer port number from 0 to 65535 (0 = any free port)';
const HOST = 'must be a host name or an IP address, e.g. 127.0.0.1, 0.0.0.0 or gateway.example.gov.cn';
const PATH = 'must be a non-empty path (absolute, relative to the root directory, or pki:<path> inside the PKI directory)';

function isHost(value: unknown): boolean {
  return typeof value === 'string' && (isIP(value) || isFQDN(value, { require_tld: false }));
}

/**
 * True for a parseable URL of one of the given schemes (e.g. 'postgres:'). The host may be empty:
 * `postgres:///db?host=/run/postgresql` (Unix socket) and bare `amqp://` (localhost) are valid.
 */
export function isUrlWithScheme(value: unknown, schemes: readonly string[]): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return schemes.includes(url.protocol);
  } catch {
    return false;
  }
}

export class ListenerSchema {
  @IsDefined(msg(HOST))
  @Satisfies('isHost', isHost, HOST)
  host!: string;

  @IsDefined(msg(PORT))
  @IsInt(msg(PORT))
  @Min(0, msg(PORT))
  @Max(65535, msg(PORT))
  port!: number;
}

export class PkiSchema {
  @IsString(msg(PATH))
  @MinLength(1, msg(PATH))
  dir!: string;

  // Each file is overridable; unset means the standard layout under `dir` (see README).
  @IsOptional() @IsString(msg(PATH)) @MinLength(1, msg(PATH)) caCert?: string;
  @IsOptional() @IsString(msg(PATH)) @MinLength(1, msg(PATH)) serverCert?: string;
  @IsOptional() @IsString(msg(PATH)) @MinLength(1, msg(PATH)) serverKey?: string;
  // null (not just absent) switches CRL checking off; absent means the standard layout.
  @IsOptional() @IsString(msg(`${PATH}, or null to disable CRL checking`)) @MinLength(1, msg(PATH)) crl?: string | null;
  @IsOptional() @IsString(msg(PATH)) @MinLength(1, msg(PATH)) gatewaySigningPrivateJwk?: string;
  @IsOptional() @IsString(msg(PATH)) @MinLength(1, msg(PATH)) gatewaySigningJwks?: string;
  @IsOptional() @IsString(msg(PATH)) @MinLength(1, msg(PATH)) ledgerSigningPrivateJwk?: string;
  @IsOptional() @IsString(msg(PATH)) @MinLength(1, msg(PATH)) ledgerSigningJwks?: string;
}

const POSITIVE = 'must be a positive integer';
const NON_NEGATIVE = 'must be an integer, 0 or more';

export class MessagesSchema {
  @IsInt(msg(POSITIVE)) @Min(1, msg(POSITIVE)) maxBytes!: number;
  @IsInt(msg(NON_NEGATIVE)) @Min(0, msg(NON_NEGATIVE)) sentAtPastSeconds!: number;
  @IsInt(msg(NON_NEGATIVE)) @Min(0, msg(NON_NEGATIVE)) sentAtFutureSeconds!: number;
}

const PREFETCH = 'must be an integer from 1 to 65535 (AMQP prefetch count is 16 bits)';
const BACKOFF = 'must be a non-empty array of integers, 0 or more (seconds before retry n; the last repeats)';

export class DeliverySchema {
  @IsInt(msg(POSITIVE)) @Min(1, msg(POSITIVE)) maxAttempts!: number;

  @IsArray(msg(BACKOFF))
  @ArrayNotEmpty(msg(BACKOFF))
  @IsInt(msg(BACKOFF, true))
  @Min(0, msg(BACKOFF, true))
  backoffSeconds!: number[];

  @IsInt(msg(POSITIVE)) @Min(1, msg(POSITIVE)) deliveryLimit!: number;
  @IsInt(msg(PREFETCH)) @Min(1, msg(PREFETCH)) @Max(65535, msg(PREFETCH)) prefetch!: number;
  @IsInt(msg(POSITIVE)) @Min(1, msg(POSITIVE)) pushTimeoutMs!: number;
}

export class OutboxSchema {
  @IsInt(msg(POSITIVE)) @Min(1, msg(POSITIVE)) batchSize!: number;
  @IsInt(msg(POSITIVE)) @Min(1, msg(POSITIVE)) pollIntervalMs!: number;
}

const MATERIAL_STORE = `must be one of ${MATERIAL_STORES.join(', ')}`;

/** Optional section: each key has a default (see config.loader). */
export class MaterialsSchema {
  @IsOptional() @IsInt(msg(POSITIVE)) @Min(1, msg(POSITIVE)) maxBytes?: number;
  @IsOptional() @IsIn(MATERIAL_STORES, msg(MATERIAL_STORE)) store?: MaterialStoreKind;
  @IsOptional() @IsString(msg(PATH)) @MinLength(1, msg(PATH)) dir?: string;
}

const OBJECT = 'must be an object of the documented shape';

const SHARE = 'must be a number between 0 and 1 (exclusive), e.g. 0.8';

/** Optional section: when the worker warns and how often it looks (see config.loader for defaults). */
export class DeadlinesSchema {
  @IsOptional() @IsNumber({}, msg(SHARE)) @Min(0.01, msg(SHARE)) @Max(0.99, msg(SHARE)) warningShare?: number;
  @IsOptional() @IsInt(msg(POSITIVE)) @Min(1, msg(POSITIVE)) checkIntervalMs?: number;
}

/** Optional section: the exchange ledger's online period and where archives go (defaults in config.loader). */
export class LedgerSettingsSchema {
  @IsOptional() @IsInt(msg(POSITIVE)) @Min(6, msg('must be at least 6 (months online: the legal minimum for network logs)')) onlineMonths?: number;
  @IsOptional() @IsString(msg(PATH)) @MinLength(1, msg(PATH)) archiveDir?: string;
}

export class GatewaySettingsSchema {
  @IsDefined(msg(OBJECT)) @IsObject(msg(OBJECT)) @ValidateNested() @Type(() => ListenerSchema)
  partnerApi!: ListenerSchema;

  @IsDefined(msg(OBJECT)) @IsObject(msg(OBJECT)) @ValidateNested() @Type(() => ListenerSchema)
  opsApi!: ListenerSchema;

  @IsOptional() @IsObject(msg(OBJECT)) @ValidateNested() @Type(() => ListenerSchema)
  consoleApi?: ListenerSchema;

  @IsOptional()
  @Satisfies('isPostgresUrl', (v) => isUrlWithScheme(v, ['postgres:', 'postgresql:']), 'must be a postgres:// or postgresql:// URL; unset it to use the embedded PGlite')
  databaseUrl?: string;

  @IsOptional()
  @Satisfies('isAmqpUrl', (v) => isUrlWithScheme(v, ['amqp:', 'amqps:']), 'must be an amqp:// or amqps:// URL; unset it to use the in-process transport')
  amqpUrl?: string;

  @IsOptional()
  @IsString(msg(AMQP_PREFIX))
  @Matches(AMQP_PREFIX_PATTERN, msg(AMQP_PREFIX))
  amqpPrefix?: string;

  @IsString(msg(PATH)) @MinLength(1, msg(PATH))
  dataDir!: string;

  @IsDefined(msg(OBJECT)) @IsObject(msg(OBJECT)) @ValidateNested() @Type(() => PkiSchema)
  pki!: PkiSchema;

  @IsString(msg(`${PATH}: the alliance file`)) @MinLength(1, msg(PATH))
  alliance!: string;

  @IsDefined(msg(OBJECT)) @IsObject(msg(OBJECT)) @ValidateNested() @Type(() => MessagesSchema)
  messages!: MessagesSchema;

  @IsDefined(msg(OBJECT)) @IsObject(msg(OBJECT)) @ValidateNested() @Type(() => DeliverySchema)
  delivery!: DeliverySchema;

  @IsDefined(msg(OBJECT)) @IsObject(msg(OBJECT)) @ValidateNested() @Type(() => OutboxSchema)
  outbox!: OutboxSchema;

  @IsOptional() @IsObject(msg(OBJECT)) @ValidateNested() @Type(() => MaterialsSchema)
  materials?: MaterialsSchema;

  @IsOptional() @IsObject(msg(OBJECT)) @ValidateNested() @Type(() => DeadlinesSchema)
  deadlines?: DeadlinesSchema;

  @IsOptional() @IsObject(msg(OBJECT)) @ValidateNested() @Type(() => LedgerSettingsSchema)
  ledger?: LedgerSettingsSchema;

  // Auditor name (the urn:tongban:auditor:<name> of its client certificate) → the districts it may
  // audit, or ["*"] for all. Checked entry by entry in config.loader.ts against the alliance.
  @IsOptional() @IsObject(msg('must be an object: auditor name → array of district ids, or ["*"] for all'))
  auditors?: Record<string, unknown>;

  @IsString(msg(`must match ${ID_PATTERN}`)) @Matches(ID_PATTERN, msg(`must match ${ID_PATTERN}`))
  gatewayId!: string;

  @IsIn(LOG_LEVELS, msg(`must be one of ${LOG_LEVELS.join(', ')}`))
  logLevel!: LogLevel;
}

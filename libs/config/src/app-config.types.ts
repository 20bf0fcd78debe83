import type { DistrictCodeTables } from './code-tables';
/**
 * The validated, resolved shapes that the rest of Tongban sees. They are plain readonly types (not
 * the class-validator schema classes) so consumers depend on data, not on validation machinery,
 * and can build fakes in their own tests.
 */

export const TIME_UNITS = ['WORKING_DAYS', 'NATURAL_DAYS', 'HOURS', 'MINUTES', 'MONTHS'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

export interface TimeLimit {
  readonly value: number;
  readonly unit: TimeUnit;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** 国办发〔2020〕35号 modes Tongban supports; 多地联办 (joint handling) comes later. */
export const AGREEMENT_MODES = ['REMOTE_COLLECTION', 'FULLY_ONLINE'] as const;
export type AgreementMode = (typeof AGREEMENT_MODES)[number];

export interface Material {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  /** The original must be examined, so a remote collection mails it to the approving side. */
  readonly originalRequired: boolean;
  readonly copies: number;
  readonly mandatory: boolean;
  /** 容缺: may be missing at acceptance against a signed promise (only mandatory materials). */
  readonly tolerable: boolean;
}

export interface ServiceItem {
  /** Local key in the alliance file (`no-criminal-record`), stable across code changes. */
  readonly key: string;
  readonly basicCode: string;
  readonly implementationCode: string;
  readonly name: string;
  readonly nameEn: string;
  /** GB/T 39046 item type: '01' 行政许可 … '20' 公共服务. Opaque two-digit code. */
  readonly itemType: string;
  readonly statutoryLimit: TimeLimit;
  /** Extension the law allows with approval (e.g. +10 working days), when there is one. */
  readonly statutoryExtension?: TimeLimit;
  readonly promisedLimit: TimeLimit;
  readonly supportsCourier: boolean;
  readonly materials: readonly Material[];
}

export interface HandoffLimits {
  readonly dispatch: TimeLimit;
  readonly acknowledge: TimeLimit;
  readonly mailOriginals: TimeLimit;
}

export interface Agreement {
  readonly id: string;
  readonly collectingDistrict: string;
  readonly approvingDistrict: string;
  /** True: either side may collect for the other; false: only `collectingDistrict` collects. */
  readonly bidirectional: boolean;
  readonly mode: AgreementMode;
  readonly handoffLimits: HandoffLimits;
  readonly items: readonly ServiceItem[];
}

export interface District {
  readonly id: string;
  /** 6-digit 行政区划代码; null for a zone without one (仲恺高新区, 横琴 …). */
  readonly regionCode: string | null;
  readonly name: string;
  readonly nameEn: string;
  readonly serviceCentreUscc: string;
  /** Set when the district takes webhook deliveries; unset means it pulls its inbox. */
  readonly push?: { readonly url: string };
  /** Absolute path of the district's signing JWKS. */
  readonly jwksPath: string;
  /** Contract name → message contract versions this district accepts. */
  readonly acceptsContracts: Readonly<Record<string, readonly string[]>>;
  /** The district's own codes for canonical enums, by table; empty when it speaks the canonical ones. */
  readonly codes: DistrictCodeTables;
}

export interface AgreementMatch {
  readonly agreement: Agreement;
  readonly item: ServiceItem;
}

export interface Alliance {
  readonly districts: readonly District[];
  readonly agreements: readonly Agreement[];
  /** Every distinct item the agreements use (catalogue and inline), in file order. */
  readonly items: readonly ServiceItem[];
  district(id: string): District | undefined;
  /**
   * The agreement under which `collecting` may send a case of item `itemCode` (basic or
   * implementation code) to `approving`, honouring `bidirectional`.
   */
  findAgreement(collecting: string, approving: string, itemCode: string): AgreementMatch | undefined;
  /** Districts that share at least one agreement with `id`, in either direction, in file order. */
  partnersOf(id: string): string[];
}

export interface Listener {
  readonly host: string;
  readonly port: number;
}

export interface PkiPaths {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** Undefined only when the config explicitly disables CRL checking (`"crl": null`). */
  readonly crl?: string;
  readonly gatewaySigningPrivateJwk: string;
  readonly gatewaySigningJwks: string;
  /** The key that signs ledger checkpoints (tree heads), apart from the receipt key. */
  readonly ledgerSigningPrivateJwk: string;
  readonly ledgerSigningJwks: string;
}

export const MATERIAL_STORES = ['directory', 'postgres'] as const;
export type MaterialStoreKind = (typeof MATERIAL_STORES)[number];

/** Uploaded materials (files referenced by digest in envelopes). */
export interface MaterialsSettings {
  /** Largest accepted upload, in bytes (default 100 MiB). */
  readonly maxBytes: number;
  /** Where the bytes live: files under `dir`, or PostgreSQL (default 'directory'). */
  readonly store: MaterialStoreKind;
  /** Absolute; the directory store's root (default `<dataDir>/materials`). */
  readonly dir: string;
}

export interface AppConfig {
  readonly partnerApi: Listener;
  readonly opsApi: Listener;
  /** The desk console (HTTPS with the gateway's server certificate, staff log in with password + TOTP); off when absent. */
  readonly consoleApi?: Listener;
  /** postgres:// URL from DATABASE_URL; undefined → embedded PGlite under dataDir. */
  readonly databaseUrl?: string;
  /** amqp(s):// URL from AMQP_URL; undefined → in-process transport. */
  readonly amqpUrl?: string;
  /** Name prefix of the broker's exchanges and queues (AMQP_PREFIX); undefined → the bus default 'tongban'. */
  readonly amqpPrefix?: string;
  /** Absolute. */
  readonly dataDir: string;
  /** All absolute. */
  readonly pki: PkiPaths;
  readonly messages: {
    readonly maxBytes: number;
    readonly sentAtPastSeconds: number;
    readonly sentAtFutureSeconds: number;
  };
  readonly delivery: {
    readonly maxAttempts: number;
    readonly backoffSeconds: readonly number[];
    readonly deliveryLimit: number;
    readonly prefetch: number;
    readonly pushTimeoutMs: number;
  };
  readonly outbox: {
    readonly batchSize: number;
    readonly pollIntervalMs: number;
  };
  readonly materials: MaterialsSettings;
  /** Deadline timers in the worker: warn at this share of a limit (default 0.8), look every checkIntervalMs (default 30 s). */
  readonly deadlines: { readonly warningShare: number; readonly checkIntervalMs: number };
  /** Auditor name → the districts it may audit (undefined: all). Read-only access to the ledger. */
  /** Entries stay in the database `onlineMonths` (≥ 6), then move to chained archive files in `archiveDir`. */
  readonly ledger: { readonly onlineMonths: number; readonly archiveDir: string };
  readonly auditors: Readonly<Record<string, { readonly districts?: readonly string[] }>>;
  readonly gatewayId: string;
  readonly logLevel: LogLevel;
  readonly alliance: Alliance;
}

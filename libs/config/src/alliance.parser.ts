import { AllianceRegistry } from './alliance.registry';
import { AllianceFileSchema, CatalogueItemSchema, DistrictSchema, ITEM_KEY_PATTERN, InlineItemSchema, type TimeLimitSchema } from './alliance-file.schema';
import type { Agreement, Alliance, District, Material, ServiceItem, TimeLimit } from './app-config.types';
import { parseCodeTables } from './code-tables';
import { resolveConfigPath } from './config-path.resolver';
import { configError, isPlainObject, joinPath, validateSchema } from './schema.validator';

export interface ParseAllianceOptions {
  /** Plain paths in the file (jwks) resolve against this directory. */
  readonly rootDir: string;
  /** `pki:` paths resolve against this directory. */
  readonly pkiDir: string;
  /** Key path prefix for errors; 'alliance' by default, as in the gateway config. */
  readonly at?: string;
}

const CONTRACT_NAME = /^[a-z0-9][a-z0-9-]*$/;
const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

/**
 * Validates an alliance file's content and resolves it: item keys become items, `pki:` paths become
 * absolute, cross-references are checked. Pure (no I/O), so other libraries' tests can build an
 * Alliance from an object. Throws ConfigError naming the first failing key.
 */
export function parseAlliance(plain: unknown, options: ParseAllianceOptions): Alliance {
  const at = options.at ?? 'alliance';
  const file = validateSchema(AllianceFileSchema, plain, { at });

  // Code tables come from the raw JSON, like items below: a `__proto__` partner code must be seen.
  const rawDistricts = (plain as { districts: unknown[] }).districts;
  const districts = file.districts.map((d, i) =>
    toDistrict(d, (rawDistricts[i] as { codes?: unknown }).codes, joinPath(joinPath(at, 'districts'), i), options),
  );
  checkDistinct(districts.map((d) => d.id), (i) => `${at}.districts[${i}].id`, 'district id');
  checkDistinct(districts.map((d) => d.serviceCentreUscc), (i) => `${at}.districts[${i}].serviceCentreUscc`, 'service centre USCC');
  const districtIds = new Set(districts.map((d) => d.id));

  const catalogue = new Map<string, ServiceItem>();
  // Entries come from the raw JSON, not the transformed copy: a `__proto__` key must be seen
  // (and rejected by the key pattern), not swallowed by an assignment.
  const rawItems = (plain as { items?: Record<string, unknown> }).items ?? {};
  for (const [key, value] of Object.entries(rawItems)) {
    const path = `${at}.items.${key}`;
    if (!ITEM_KEY_PATTERN.test(key)) throw configError(path, `item keys must match ${ITEM_KEY_PATTERN}`, undefined);
    catalogue.set(key, toItem(key, validateSchema(CatalogueItemSchema, value, { at: path }), path));
  }

  const inlineKeys = new Set<string>();
  const agreements: Agreement[] = file.agreements.map((a, i) => {
    const path = `${at}.agreements[${i}]`;
    for (const side of ['collectingDistrict', 'approvingDistrict'] as const) {
      if (!districtIds.has(a[side])) {
        throw configError(`${path}.${side}`, `names no district in ${at}.districts (known: ${[...districtIds].join(', ')})`, a[side]);
      }
    }
    if (a.collectingDistrict === a.approvingDistrict) {
      throw configError(`${path}.approvingDistrict`, 'must differ from collectingDistrict (an agreement is between two districts)', a.approvingDistrict);
    }
    const items = a.items.map((entry, j) => {
      const itemPath = `${path}.items[${j}]`;
      if (typeof entry === 'string') {
        const item = catalogue.get(entry);
        if (!item) throw configError(itemPath, `names no item in ${at}.items (known: ${[...catalogue.keys()].join(', ') || 'none'})`, entry);
        return item;
      }
      if (!isPlainObject(entry)) throw configError(itemPath, 'must be an item key (string) or an inline item (object)', entry);
      const inline = validateSchema(InlineItemSchema, entry, { at: itemPath });
      // One key, one item: an inline key equal to a catalogue key (or another inline one) would
      // make `alliance.items` and log lines ambiguous.
      if (catalogue.has(inline.key) || inlineKeys.has(inline.key)) {
        throw configError(`${itemPath}.key`, 'is already used by another item; item keys must be unique across the file', inline.key);
      }
      inlineKeys.add(inline.key);
      return toItem(inline.key, inline, itemPath);
    });
    return {
      id: a.id,
      collectingDistrict: a.collectingDistrict,
      approvingDistrict: a.approvingDistrict,
      bidirectional: a.bidirectional,
      mode: a.mode,
      handoffLimits: {
        dispatch: toLimit(a.handoffLimits.dispatch),
        acknowledge: toLimit(a.handoffLimits.acknowledge),
        mailOriginals: toLimit(a.handoffLimits.mailOriginals),
      },
      items,
    };
  });
  checkDistinct(agreements.map((a) => a.id), (i) => `${at}.agreements[${i}].id`, 'agreement id');

  const used: ServiceItem[] = [];
  for (const item of [...catalogue.values(), ...agreements.flatMap((a) => a.items)]) if (!used.includes(item)) used.push(item);
  return deepFreeze(new AllianceRegistry(districts, agreements, used));
}

function toDistrict(d: DistrictSchema, rawCodes: unknown, path: string, options: ParseAllianceOptions): District {
  // Ids that look like a region code must be that code, or logs would name the wrong district.
  if (/^[0-9]{6}$/.test(d.id) && d.id !== d.regionCode) {
    throw configError(`${path}.id`, `a 6-digit id must equal regionCode (${d.regionCode ?? 'null'})`, d.id);
  }
  const acceptsContracts: Record<string, readonly string[]> = {};
  for (const [name, versions] of Object.entries(d.acceptsContracts)) {
    const key = `${path}.acceptsContracts.${name}`;
    if (!CONTRACT_NAME.test(name)) throw configError(key, `contract names must match ${CONTRACT_NAME}`, undefined);
    if (!Array.isArray(versions) || versions.length === 0) throw configError(key, 'must be a non-empty array of versions such as "1.0.0"', versions);
    versions.forEach((v, i) => {
      if (typeof v !== 'string' || !SEMVER.test(v)) throw configError(`${key}[${i}]`, 'must be a version MAJOR.MINOR.PATCH such as "1.0.0"', v);
    });
    acceptsContracts[name] = [...(versions as string[])];
  }
  return {
    id: d.id,
    regionCode: d.regionCode,
    name: d.name,
    nameEn: d.nameEn,
    serviceCentreUscc: d.serviceCentreUscc,
    ...(d.push ? { push: { url: d.push.url } } : {}),
    jwksPath: resolveConfigPath(d.jwks, options.rootDir, options.pkiDir),
    acceptsContracts,
    codes: rawCodes === undefined ? {} : parseCodeTables(rawCodes, `${path}.codes`),
  };
}

function toItem(key: string, s: CatalogueItemSchema, path: string): ServiceItem {
  checkDistinct(s.materials.map((m) => m.code), (i) => `${path}.materials[${i}].code`, 'material code');
  const materials: Material[] = s.materials.map((m) => ({
    code: m.code,
    name: m.name,
    nameEn: m.nameEn,
    originalRequired: m.originalRequired,
    copies: m.copies,
    mandatory: m.mandatory,
    tolerable: m.tolerable,
  }));
  return {
    key,
    basicCode: s.basicCode,
    implementationCode: s.implementationCode,
    name: s.name,
    nameEn: s.nameEn,
    itemType: s.itemType,
    statutoryLimit: toLimit(s.statutoryLimit),
    ...(s.statutoryExtension ? { statutoryExtension: toLimit(s.statutoryExtension) } : {}),
    promisedLimit: toLimit(s.promisedLimit),
    supportsCourier: s.supportsCourier,
    materials,
  };
}

function toLimit(s: TimeLimitSchema): TimeLimit {
  return { value: s.value, unit: s.unit };
}

function checkDistinct(values: readonly string[], pathOf: (index: number) => string, what: string): void {
  const seen = new Map<string, number>();
  values.forEach((value, i) => {
    const first = seen.get(value);
    if (first !== undefined) throw configError(pathOf(i), `duplicate ${what}; already used at ${pathOf(first)}`, value);
    seen.set(value, i);
  });
}

/** Config is read-only after boot; freezing turns an accidental write into an immediate TypeError. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

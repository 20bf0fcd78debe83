// Public entry of @tongban/config: the only library that reads the environment (through
// loadConfig's `env` argument), so everything else depends on a validated AppConfig.
import 'reflect-metadata';
export {
  AGREEMENT_MODES,
  LOG_LEVELS,
  MATERIAL_STORES,
  TIME_UNITS,
  type Agreement,
  type AgreementMatch,
  type AgreementMode,
  type Alliance,
  type AppConfig,
  type District,
  type HandoffLimits,
  type Listener,
  type LogLevel,
  type Material,
  type MaterialStoreKind,
  type MaterialsSettings,
  type PkiPaths,
  type ServiceItem,
  type TimeLimit,
  type TimeUnit,
} from './app-config.types';
export { ConfigError } from './config.error';
export { loadConfig, DEFAULT_CONFIG_FILE, MATERIALS_DEFAULTS, type LoadConfigOptions } from './config.loader';
export { parseAlliance, type ParseAllianceOptions } from './alliance.parser';
export { ENV_OVERRIDES } from './env.overrides';
export { isValidUscc, usccCheckCharacter } from './uscc.check-digit';
export { isValidResidentId, residentIdCheckCharacter } from './resident-id.check-digit';
export { CANONICAL_CODES, CODE_TABLE_NAMES, parseCodeTables, type CodeTable, type CodeTableName, type DistrictCodeTables } from './code-tables';

import { isAbsolute, resolve } from 'node:path';

/** Prefix meaning "relative to the configured PKI directory", so PKI files move with PKI_DIR. */
export const PKI_PREFIX = 'pki:';

/**
 * Resolves a path setting to an absolute path: `pki:<p>` inside the PKI directory, otherwise
 * relative to the root directory (the repository in development, the install dir in production).
 * Never relative to the process's cwd, so a service started from elsewhere reads the same files.
 */
export function resolveConfigPath(value: string, rootDir: string, pkiDir: string): string {
  if (value.startsWith(PKI_PREFIX)) return resolve(pkiDir, value.slice(PKI_PREFIX.length));
  return isAbsolute(value) ? resolve(value) : resolve(rootDir, value);
}

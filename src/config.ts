import { resolve } from 'node:path';

/**
 * Paths every command shares. The full service configuration (validated with
 * zod, from the environment and an optional file) lives in src/service/config.ts.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.UPTAKE_DATA_DIR ?? '.uptake');
}

/** Returns the SQLite file for Uptake's own data: UPTAKE_DB, or uptake.sqlite in the data folder. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.UPTAKE_DB ? resolve(env.UPTAKE_DB) : resolve(defaultDataDir(env), 'uptake.sqlite');
}

/** Folder of the project's shipped rules and templates, resolved from this file. */
export const projectRoot = resolve(__dirname, '..');

import type { Migration, MigrationProvider } from 'kysely';
import * as domain from './0001-domain';
import * as delivery from './0003-delivery';

/**
 * The ordered list of schema migrations. Append new ones with the next number;
 * never edit one that has shipped, because stores record which names ran.
 */
export const migrations: Record<string, Migration> = {
  '0001-domain': domain,
  '0003-delivery': delivery,
};

/** Hands the in-code migrations to Kysely's Migrator. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

/** An open store: the Kysely query layer and, on SQLite, the underlying connection. */
export interface Store {
  db: Kysely<Database>;
  /** The better-sqlite3 handle, for bulk paths that need synchronous prepared statements. */
  sqlite: SQLite.Database;
  path: string;
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the SQLite store at `path` in WAL mode and
 * applies pending migrations. Use ':memory:' for a throwaway store.
 */
export async function openStore(path: string): Promise<Store> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // Takes effect only on a new file. Usage imports commit batches that dirty most pages of
  // usage_daily, and larger pages cost fewer WAL frames and checkpoints. Storing the 200k events
  // of bench/import.bench.ts took about 0.79 s of CPU time with 32 KiB pages, 0.82 s with 16 KiB
  // and 0.99 s with the default 4 KiB. The signals and HTTP ingest benchmarks ran as fast.
  sqlite.pragma('page_size = 32768');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Another process (API and worker) may hold the write lock briefly.
  sqlite.pragma('busy_timeout = 5000');

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db);

  return {
    db,
    sqlite,
    path,
    close: async () => {
      await db.destroy();
    },
  };
}

/** Applies every pending migration, throwing with the failed migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(
      `Store migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error)}`,
      { cause: error },
    );
  }
}

import type { Kysely } from 'kysely';
import type { Database } from './schema';

// SQLite accepts at most 32,766 bound parameters per statement; staying under 30,000 leaves room
// for the few parameters a conflict clause adds.
const maxParameters = 30_000;
// A cap of 1,000 rows keeps each compiled statement small (a chosen size, not a measured optimum).
const maxRowsPerStatement = 1_000;

/** Splits rows into slices small enough for one multi-row statement of `columns` columns each. */
export function* chunkRows<T>(rows: readonly T[], columns: number): Generator<T[]> {
  const size = Math.max(1, Math.min(maxRowsPerStatement, Math.floor(maxParameters / columns)));
  for (let start = 0; start < rows.length; start += size) {
    yield rows.slice(start, start + size);
  }
}

/**
 * Runs `work` in a new transaction, or inside the caller's transaction when `db` already is
 * one, so that the importer can roll back a whole file made of many batch writes.
 */
export async function runInTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}

/** Keeps the last row of each key, because one upsert statement may not touch a row twice. */
export function lastByKey<T>(rows: readonly T[], keyOf: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return byKey.size === rows.length ? [...rows] : [...byKey.values()];
}

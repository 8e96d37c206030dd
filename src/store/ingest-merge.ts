import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Store } from './database';
import { chunkRows, runInTransaction } from './ingest-chunks';
import type { Database } from './schema';

/*
 * Imports write partial rows: a column the mapping leaves out keeps its stored value, and the
 * defaults of a column apply only when a row is inserted. Rows whose provided columns already
 * hold the stored values are left alone, updated_at included, and are counted as unchanged.
 */

/** Counts of the rows of one table that an import batch inserted, updated or left unchanged. */
export interface MergeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Creates zeroed merge counts. */
export function emptyMergeCounts(): MergeCounts {
  return { inserted: 0, updated: 0, unchanged: 0 };
}

/** A partial row: only the columns its source provides. */
export type PartialRow = Record<string, unknown>;

/** How to merge the partial rows of one table with the stored rows. */
export interface ImportMergeSpec {
  table: 'accounts' | 'users' | 'contracts' | 'features' | 'tickets' | 'milestones' | 'goals';
  /** Primary key columns; every item provides them. */
  keyColumns: readonly string[];
  /** Builds the full row inserted for an item that has no stored row. */
  insertRow: (item: PartialRow) => PartialRow;
  /** Columns an existing row keeps even when an item provides them, e.g. created_at. */
  keep?: readonly string[];
  /** Combines a stored value with a provided one, e.g. attributes merged by name. */
  combine?: Record<string, (stored: unknown, provided: unknown) => unknown>;
  /** Column set to `now` on every inserted or updated row. */
  touched?: string;
  now?: number;
}

// 400 keys per read keep a two-column key under SQLite's smallest limit of 999 parameters.
const keysPerRead = 400;

/**
 * Inserts the items without a stored row and updates the stored rows whose provided columns
 * differ. Returns how many rows were inserted, updated and left unchanged. Items of one key
 * are laid over each other in order.
 */
export async function mergeImported(
  store: Store,
  spec: ImportMergeSpec,
  items: readonly PartialRow[],
): Promise<MergeCounts> {
  const counts = emptyMergeCounts();
  const byKey = new Map<string, PartialRow>();
  for (const item of items) {
    const key = keyOf(spec, item);
    byKey.set(key, { ...byKey.get(key), ...item });
  }
  if (byKey.size === 0) return counts;
  await runInTransaction(store.db, async (trx) => {
    const merged = [...byKey.values()];
    for (let start = 0; start < merged.length; start += keysPerRead) {
      const slice = merged.slice(start, start + keysPerRead);
      const stored = await readStored(trx, spec, slice);
      const inserts: PartialRow[] = [];
      for (const item of slice) {
        const row = stored.get(keyOf(spec, item));
        if (row === undefined) inserts.push(withTouch(spec, spec.insertRow(item)));
        else counts[(await updateChanged(trx, spec, row, item)) ? 'updated' : 'unchanged'] += 1;
      }
      await insertRows(trx, spec.table, inserts);
      counts.inserted += inserts.length;
    }
  });
  return counts;
}

function keyOf(spec: ImportMergeSpec, row: PartialRow): string {
  return spec.keyColumns.map((column) => String(row[column])).join('\u0000');
}

function withTouch(spec: ImportMergeSpec, row: PartialRow): PartialRow {
  return spec.touched === undefined ? row : { ...row, [spec.touched]: spec.now ?? Date.now() };
}

async function readStored(
  db: Kysely<Database>,
  spec: ImportMergeSpec,
  items: readonly PartialRow[],
): Promise<Map<string, PartialRow>> {
  // A composite key is narrowed by each column in SQL and matched as a whole below.
  const clauses = spec.keyColumns.map(
    (column) => sql`${sql.ref(column)} in (${sql.join([...new Set(items.map((i) => i[column]))])})`,
  );
  const result = await sql<PartialRow>`select * from ${sql.table(spec.table)}
    where ${sql.join(clauses, sql` and `)}`.execute(db);
  return new Map(result.rows.map((row) => [keyOf(spec, row), row]));
}

/** Writes the provided columns that differ from the stored row; returns whether any did. */
async function updateChanged(
  db: Kysely<Database>,
  spec: ImportMergeSpec,
  stored: PartialRow,
  item: PartialRow,
): Promise<boolean> {
  const changes: PartialRow = {};
  for (const [column, provided] of Object.entries(item)) {
    if (provided === undefined || spec.keep?.includes(column)) continue;
    if (spec.keyColumns.includes(column)) continue;
    const combine = spec.combine?.[column];
    const value = combine ? combine(stored[column], provided) : provided;
    if (value !== stored[column]) changes[column] = value;
  }
  if (Object.keys(changes).length === 0) return false;
  const set = Object.entries(withTouch(spec, changes)).map(
    ([column, value]) => sql`${sql.ref(column)} = ${value}`,
  );
  const where = spec.keyColumns.map((column) => sql`${sql.ref(column)} = ${stored[column]}`);
  await sql`update ${sql.table(spec.table)} set ${sql.join(set)}
    where ${sql.join(where, sql` and `)}`.execute(db);
  return true;
}

async function insertRows(
  db: Kysely<Database>,
  table: string,
  rows: readonly PartialRow[],
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first);
  for (const chunk of chunkRows(rows, columns.length)) {
    const values: RawBuilder<unknown>[] = chunk.map(
      (row) => sql`(${sql.join(columns.map((column) => row[column] ?? null))})`,
    );
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
      values ${sql.join(values)}`.execute(db);
  }
}

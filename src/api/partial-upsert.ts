import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema';
import { ApiError, type FieldIssue } from './errors';

/*
 * Partial updates for the API's upsert routes. A field left out of a request item keeps
 * the stored value of an existing row, a field sent as null clears it, and a new row
 * takes the defaults. Call `mergeWithStored` inside the transaction that writes the rows,
 * so that no other write can change a row between the read and the write.
 */

/** Tables that the API's upsert routes write. */
export type UpsertTable =
  'accounts' | 'users' | 'contracts' | 'features' | 'tickets' | 'milestones' | 'goals';

/** How to merge the items of one upsert route with their stored rows. */
export interface MergeSpec<Row extends object> {
  table: UpsertTable;
  /** Primary key columns of the table: one column, or two for a composite key. */
  keyColumns: readonly [keyof Row & string] | readonly [keyof Row & string, keyof Row & string];
  /** Column values of a new row for the columns that its item left out. */
  defaults: Partial<Row>;
  /**
   * Columns without a default that a new row must get from its item, each with
   * the request field that carries it, e.g. `{ name: 'name' }`.
   */
  requiredForNew?: Partial<Record<keyof Row & string, string>>;
  /** Body field of the batch, for error paths such as `accounts[2].name`. */
  collection?: string;
}

// 400 keys per SELECT bind at most 800 parameters, under SQLite's smallest default limit of 999.
const keysPerRead = 400;

/**
 * Returns one full row per key: each item's provided (not undefined) columns laid over the
 * stored row, or over the defaults when no row is stored. Later items of the same key are laid
 * over the earlier ones, so a batch that names one key twice keeps the fields of both.
 */
export async function mergeWithStored<Row extends object>(
  db: Kysely<Database>,
  spec: MergeSpec<Row>,
  items: readonly Partial<Row>[],
): Promise<Row[]> {
  const keyOf = (row: Partial<Row>) =>
    spec.keyColumns.map((column) => String(row[column])).join('\u0000');
  const stored = await readStored(db, spec, items, keyOf);
  const merged = new Map<string, Row>();
  const issues: FieldIssue[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    const earlier = merged.get(key) ?? stored.get(key);
    const row = { ...(earlier ?? (spec.defaults as Row)), ...providedColumns(item) };
    if (!earlier) issues.push(...missingForNew(spec, row, index));
    merged.set(key, row);
  });
  if (issues.length > 0) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new ApiError(422, `${issues[0]?.field}: ${issues[0]?.message}${more}`, issues);
  }
  return [...merged.values()];
}

/** Lists the required columns that a new row lacks, by request field. */
function missingForNew<Row extends object>(
  spec: MergeSpec<Row>,
  row: Row,
  index: number,
): FieldIssue[] {
  const required = Object.entries(spec.requiredForNew ?? {}) as [keyof Row & string, string][];
  return required
    .filter(([column]) => row[column] === undefined || row[column] === null)
    .map(([, field]) => ({
      field: `${spec.collection ?? spec.table}[${index}].${field}`,
      message:
        `missing: required for a new item, and nothing is stored under this ` +
        `${spec.keyColumns.join(' and ')} yet; send the field or create the item first`,
    }));
}

/** Reads the stored rows of the items' keys, keyed like `keyOf`. */
async function readStored<Row extends object>(
  db: Kysely<Database>,
  spec: MergeSpec<Row>,
  items: readonly Partial<Row>[],
  keyOf: (row: Partial<Row>) => string,
): Promise<Map<string, Row>> {
  const [first, second] = spec.keyColumns;
  const stored = new Map<string, Row>();
  for (let start = 0; start < items.length; start += keysPerRead) {
    const slice = items.slice(start, start + keysPerRead);
    // A composite key is matched on its first column in SQL and on the whole key below,
    // which may read a few extra rows but keeps the statement simple.
    const firstValues = [...new Set(slice.map((item) => item[first]))];
    const requestedKeys = new Set(slice.map(keyOf));
    const secondClause =
      second === undefined
        ? sql``
        : sql`and ${sql.ref(second)} in (${sql.join([...new Set(slice.map((item) => item[second]))])})`;
    const result = await sql<Row>`select * from ${sql.table(spec.table)}
      where ${sql.ref(first)} in (${sql.join(firstValues)}) ${secondClause}`.execute(db);
    for (const row of result.rows) {
      if (requestedKeys.has(keyOf(row))) stored.set(keyOf(row), row);
    }
  }
  return stored;
}

/** Returns the columns of `item` whose value is not undefined, because undefined means "left out". */
function providedColumns<Row extends object>(item: Partial<Row>): Partial<Row> {
  return Object.fromEntries(
    Object.entries(item).filter(([, value]) => value !== undefined),
  ) as Partial<Row>;
}

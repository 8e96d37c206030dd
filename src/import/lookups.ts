import type { RowContext } from './expressions';

/** One loaded row of a lookup file. */
export type LookupRow = RowContext;

/**
 * Rows of the small files that other files join against, indexed by each lookup's key
 * columns. Every row of such a file is held in memory, so lookups suit reference files
 * (sites, courses, subscriptions), not event streams.
 */
export class LookupTables {
  private readonly tables = new Map<string, Map<string, LookupRow[]>>();

  /** Adds a row to a lookup under its key values. */
  add(name: string, key: readonly string[], row: LookupRow): void {
    let table = this.tables.get(name);
    if (!table) {
      table = new Map();
      this.tables.set(name, table);
    }
    const id = key.join('\u0000');
    const rows = table.get(id);
    if (rows) rows.push(row);
    else table.set(id, [row]);
  }

  /** Marks a lookup as loaded, even when its file had no rows. */
  declare(name: string): void {
    if (!this.tables.has(name)) this.tables.set(name, new Map());
  }

  /** Returns the first row whose key columns equal `key`. */
  find(name: string, key: readonly string[]): LookupRow | undefined {
    return this.tables.get(name)?.get(key.join('\u0000'))?.[0];
  }

  /** Returns every row whose key columns equal `key`, for one-to-many joins. */
  findAll(name: string, key: readonly string[]): readonly LookupRow[] {
    return this.tables.get(name)?.get(key.join('\u0000')) ?? [];
  }

  /** Number of rows loaded into a lookup. */
  size(name: string): number {
    let count = 0;
    for (const rows of this.tables.get(name)?.values() ?? []) count += rows.length;
    return count;
  }
}

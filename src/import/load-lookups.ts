import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ImportError } from './import-error';
import { LookupTables } from './lookups';
import type { Mapping } from './mapping-schema';
import { linkOutsideFolder } from './source-path';
import { readSource, SourceParseError } from './sources';

/** Loads every lookup file of the mapping from `folder` into memory, indexed by its key. */
export async function loadLookups(folder: string, mapping: Mapping): Promise<LookupTables> {
  const tables = new LookupTables();
  for (const [name, lookup] of Object.entries(mapping.lookups)) {
    const path = join(folder, lookup.file);
    const outside = linkOutsideFolder(folder, lookup.file);
    if (outside) throw new ImportError(`lookup "${name}": ${outside}`);
    if (!existsSync(path)) {
      throw new ImportError(`lookup "${name}": ${path}: file not found`);
    }
    const format = /\.(nd)?jsonl?$/i.test(path) ? 'ndjson' : 'csv';
    const source = readSource(path, format, () => undefined);
    tables.declare(name);
    try {
      for await (const row of source.rows) {
        if (row.problem) continue;
        tables.add(
          name,
          lookup.key.map((column) => row.get(column) ?? ''),
          row,
        );
      }
    } catch (error) {
      if (error instanceof SourceParseError)
        throw new ImportError(`lookup "${name}": ${error.message}`);
      throw error;
    }
    const header = source.header();
    const missing = header && lookup.key.find((column) => !header.includes(column));
    if (missing) {
      throw new ImportError(`lookup "${name}": missing key column "${missing}" in ${path}`);
    }
  }
  return tables;
}

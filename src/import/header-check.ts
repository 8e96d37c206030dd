import { basename } from 'node:path';
import { referencedColumns } from './expressions';
import type { FileMapping } from './mapping-schema';
import { quoteValue } from './quote';
import { SourceParseError } from './source-error';

/** A source column the mapping reads, with the mapping key that reads it. */
interface ColumnRead {
  key: string;
  entityIndex: number;
  columns: string[];
  /** Prefix of columns that come from a joined lookup, not from this file. */
  joined?: string;
}

function columnReads(entry: FileMapping): ColumnRead[] {
  return entry.entities.flatMap((entity, entityIndex) => {
    const joined = entity.each ? `${entity.each.lookup}.` : undefined;
    const reads: ColumnRead[] = Object.entries(entity.fields).map(([field, expression]) => ({
      key: `fields.${field}`,
      entityIndex,
      columns: referencedColumns(expression),
      joined,
    }));
    if (entity.each) reads.push({ key: 'each.on', entityIndex, columns: entity.each.on, joined });
    if (entity.when) {
      reads.push({ key: 'when', entityIndex, columns: referencedColumns(entity.when), joined });
    }
    return reads;
  });
}

/** Lists the columns of this file that the mapping reads, for error messages. */
function expectedColumns(entry: FileMapping): string {
  const columns = new Set<string>();
  for (const read of columnReads(entry)) {
    for (const column of read.columns) {
      if (!(read.joined && column.startsWith(read.joined))) columns.add(column);
    }
  }
  return [...columns].join(', ');
}

/**
 * Fails the file when a CSV file has no header line, names a column twice, or lacks a column
 * the mapping reads. `header` is undefined for NDJSON, whose lines carry their own names.
 */
export function checkHeader(
  path: string,
  header: readonly string[] | undefined,
  entry: FileMapping,
  entryIndex: number,
  format: 'csv' | 'ndjson',
): void {
  if (header === undefined) {
    if (format === 'ndjson') return;
    const reason = `no header line in ${basename(path)}; the mapping expects columns ${expectedColumns(entry)}`;
    throw new SourceParseError(path, 1, reason);
  }
  checkRepeatedColumn(path, header);
  const present = new Set(header);
  for (const { key, entityIndex, columns, joined } of columnReads(entry)) {
    const missing = columns.find(
      (column) => !present.has(column) && !(joined && column.startsWith(joined)),
    );
    if (missing === undefined) continue;
    throw new SourceParseError(
      path,
      1,
      `missing column "${missing}" in the header, read by $.files[${entryIndex}].entities[${entityIndex}].${key}`,
    );
  }
}

/** Fails on a column named twice, because a row could only be read by one of the two. */
function checkRepeatedColumn(path: string, header: readonly string[]): void {
  const seen = new Map<string, number>();
  header.forEach((name, index) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new SourceParseError(
        path,
        1,
        `column ${quoteValue(name)} appears twice in the header (columns ${first + 1} and ${index + 1}); rename or remove one`,
      );
    }
    seen.set(name, index);
  });
}

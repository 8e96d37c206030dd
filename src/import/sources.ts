import { createReadStream } from 'node:fs';
import { readCsvRecords, type CsvItem } from './csv-records';
import { readCsvRecordsInWorker } from './csv-worker';
import { ValueError, type RowContext } from './expressions';
import { recordTooLarge, SourceParseError } from './source-error';

export { SourceParseError } from './source-error';

/** One data row of a source file, with the line it starts on (1-based, header included). */
export interface SourceRow extends RowContext {
  line: number;
  /** Set when the row cannot be mapped at all (wrong number of fields, invalid JSON). */
  problem?: { column: string; reason: string };
}

/**
 * Default maximum size of one record (a CSV record or an NDJSON line) in bytes. A larger record
 * fails its file, so one huge value can neither exhaust memory nor reach the store.
 */
export const defaultMaxRecordBytes = 1024 * 1024;

/** Settings of readSource. */
export interface ReadOptions {
  /** Maximum bytes of one CSV record or NDJSON line (default `defaultMaxRecordBytes`). */
  maxRecordBytes?: number;
  /** Parses CSV in a worker thread, so that the caller's thread can write meanwhile. */
  csvInWorker?: boolean;
}

/** Reads a source file row by row, calling `onBytes` with the number of bytes read so far. */
export function readSource(
  path: string,
  format: 'csv' | 'ndjson',
  onBytes: (bytes: number) => void,
  options: ReadOptions = {},
): { header: () => readonly string[] | undefined; rows: AsyncGenerator<SourceRow> } {
  const maxRecordBytes = options.maxRecordBytes ?? defaultMaxRecordBytes;
  if (format === 'ndjson') {
    const stream = createReadStream(path);
    let bytes = 0;
    stream.on('data', (chunk) => {
      bytes += chunk.length;
      onBytes(bytes);
    });
    return { header: () => undefined, rows: readNdjson(path, stream, maxRecordBytes) };
  }
  const records = options.csvInWorker
    ? readCsvRecordsInWorker(path, maxRecordBytes, onBytes)
    : readCsvRecords(path, maxRecordBytes, onBytes);
  const state: { header?: string[] } = {};
  return { header: () => state.header, rows: readCsv(records, state) };
}

function columnIndex(header: readonly string[]): Map<string, number> {
  return new Map(header.map((name, index) => [name, index]));
}

async function* readCsv(
  records: AsyncIterable<CsvItem[]>,
  state: { header?: string[] },
): AsyncGenerator<SourceRow> {
  let index = new Map<string, number>();
  let header: string[] = [];
  for await (const batch of records) {
    for (const { record, line } of batch) {
      if (state.header === undefined) {
        header = record.map((name) => name.trim());
        state.header = header;
        index = columnIndex(header);
        continue;
      }
      yield csvRow(line, record, header, index);
    }
  }
}

/** A CSV record read by column name. A class, so that rows share one `get` instead of a closure each. */
class CsvRow implements SourceRow {
  problem?: SourceRow['problem'];

  constructor(
    readonly line: number,
    private readonly values: readonly string[],
    private readonly index: ReadonlyMap<string, number>,
  ) {}

  get(column: string): string | undefined {
    const position = this.index.get(column);
    return position === undefined ? undefined : this.values[position];
  }
}

function csvRow(
  line: number,
  values: string[],
  header: readonly string[],
  index: Map<string, number>,
): SourceRow {
  const row = new CsvRow(line, values, index);
  if (values.length < header.length) {
    row.problem = {
      column: header[values.length]!,
      reason: `missing columns: the row has ${values.length} fields, the header ${header.length}`,
    };
  } else if (values.length > header.length) {
    // Extra fields have no header name, so the first one is named by its 1-based position.
    row.problem = {
      column: String(header.length + 1),
      reason: `too many fields: the row has ${values.length}, the header ${header.length}; quote values that contain commas`,
    };
  }
  return row;
}

async function* readNdjson(
  path: string,
  stream: NodeJS.ReadableStream,
  maxRecordBytes: number,
): AsyncGenerator<SourceRow> {
  let line = 0;
  for await (const raw of splitLines(path, stream, maxRecordBytes)) {
    line += 1;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    yield ndjsonRow(path, line, text);
  }
}

/**
 * Splits a byte stream on LF, dropping a CR before it. Unlike readline, it stops with an error
 * as soon as a line passes `maxBytes`, so an oversized line is never held as one string.
 */
async function* splitLines(
  path: string,
  stream: NodeJS.ReadableStream,
  maxBytes: number,
): AsyncGenerator<string> {
  let parts: Buffer[] = [];
  let pending = 0;
  let line = 1;
  const tooLong = () => new SourceParseError(path, line, recordTooLarge(maxBytes));
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      if (pending + end - start > maxBytes) throw tooLong();
      parts.push(chunk.subarray(start, end));
      yield decodeLine(parts);
      line += 1;
      parts = [];
      pending = 0;
      start = end + 1;
    }
    pending += chunk.length - start;
    if (pending > maxBytes) throw tooLong();
    parts.push(chunk.subarray(start));
  }
  if (pending > 0) yield decodeLine(parts);
}

function decodeLine(parts: Buffer[]): string {
  const text = Buffer.concat(parts).toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/** Maps one NDJSON line; a line that is not JSON at all fails the whole file, like broken CSV. */
function ndjsonRow(path: string, line: number, text: string): SourceRow {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SourceParseError(path, line, `invalid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return {
      line,
      get: () => undefined,
      problem: { column: '$', reason: 'expected a JSON object on each line' },
    };
  }
  const record = parsed as Record<string, unknown>;
  return {
    line,
    get: (column) => {
      const value = record[column];
      if (value === undefined) return undefined;
      if (value === null) return '';
      if (typeof value !== 'object') return String(value);
      // A mapped field takes one value; the JSON text of a nested value is never a valid key or name.
      const shape = Array.isArray(value) ? 'an array' : 'an object';
      throw new ValueError(
        `"${column}" is ${shape}; expected a string, number or boolean; flatten the value in the source file`,
      );
    },
  };
}

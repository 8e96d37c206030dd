import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse, type Options } from 'csv-parse';
import type { RowContext } from './expressions';

/** One data row of a source file, with the line it starts on (1-based, header included). */
export interface SourceRow extends RowContext {
  line: number;
  /** Set when the row cannot be mapped at all (wrong number of fields, invalid JSON). */
  problem?: { column?: string; reason: string };
}

/** A file that cannot be parsed; nothing from it is stored. */
export class SourceParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    reason: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: cannot be parsed: ${reason}`);
    this.name = 'SourceParseError';
  }
}

/** Reads a source file row by row, calling `onBytes` with the number of bytes read so far. */
export function readSource(
  path: string,
  format: 'csv' | 'ndjson',
  onBytes: (bytes: number) => void,
): { header: () => readonly string[] | undefined; rows: AsyncGenerator<SourceRow> } {
  const stream = createReadStream(path);
  let bytes = 0;
  stream.on('data', (chunk) => {
    bytes += chunk.length;
    onBytes(bytes);
  });
  if (format === 'ndjson') return { header: () => undefined, rows: readNdjson(path, stream) };
  const state: { header?: string[] } = {};
  return { header: () => state.header, rows: readCsv(path, stream, state) };
}

function columnIndex(header: readonly string[]): Map<string, number> {
  return new Map(header.map((name, index) => [name, index]));
}

async function* readCsv(
  path: string,
  stream: NodeJS.ReadableStream,
  state: { header?: string[] },
): AsyncGenerator<SourceRow> {
  // bom strips a UTF-8 byte order mark; record_delimiter is detected, so CRLF and LF both work.
  // on_record reads the line counters from the parser's live context, which costs far less
  // than the `info` option's copy of the whole context per record.
  const options: Options<CsvItem, string[]> = {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    on_record: (record, context) => ({
      record,
      info: { lines: context.lines, empty_lines: context.empty_lines },
    }),
  };
  // The typings of parse() do not carry on_record's result type, hence the cast.
  const parser = stream.pipe(parse(options as unknown as Options));
  let index = new Map<string, number>();
  let header: string[] = [];
  let previousEnd = 0;
  let previousEmpty = 0;
  // csv-parse 6 counts a CRLF inside a quoted field as two lines, so each one is subtracted.
  let extraLines = 0;
  try {
    for await (const item of parser as AsyncIterable<CsvItem>) {
      const { record, info } = item;
      const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
      extraLines += quotedCrlfCount(record);
      previousEnd = info.lines - extraLines;
      previousEmpty = info.empty_lines;
      if (state.header === undefined) {
        header = record.map((name) => name.trim());
        state.header = header;
        index = columnIndex(header);
        continue;
      }
      yield csvRow(line, record, header, index);
    }
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    throw new SourceParseError(
      path,
      lines === undefined ? undefined : lines - extraLines,
      (error as Error).message,
    );
  }
}

/** Counts the CRLF pairs inside the fields of a record. */
function quotedCrlfCount(record: readonly string[]): number {
  let count = 0;
  for (const value of record) {
    if (!value.includes('\r')) continue;
    count += value.split('\r\n').length - 1;
  }
  return count;
}

interface CsvItem {
  record: string[];
  info: { lines: number; empty_lines: number };
}

function csvRow(
  line: number,
  values: string[],
  header: readonly string[],
  index: Map<string, number>,
): SourceRow {
  const row: SourceRow = {
    line,
    get: (column) => {
      const position = index.get(column);
      return position === undefined ? undefined : values[position];
    },
  };
  if (values.length < header.length) {
    row.problem = {
      column: header[values.length],
      reason: `missing columns: the row has ${values.length} fields, the header ${header.length}`,
    };
  } else if (values.length > header.length) {
    row.problem = {
      reason: `too many fields: the row has ${values.length}, the header ${header.length}`,
    };
  }
  return row;
}

async function* readNdjson(path: string, stream: NodeJS.ReadableStream): AsyncGenerator<SourceRow> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line += 1;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    yield ndjsonRow(path, line, text);
  }
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
      problem: { reason: 'expected a JSON object on each line' },
    };
  }
  const record = parsed as Record<string, unknown>;
  return {
    line,
    get: (column) => {
      const value = record[column];
      if (value === undefined) return undefined;
      if (value === null) return '';
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    },
  };
}

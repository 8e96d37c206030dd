import { createReadStream } from 'node:fs';
import { Parser } from 'csv-parse';
import type { RowContext } from './expressions';
import { escapeParserMessage } from './quote';

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
    super(
      `${file}${line === undefined ? '' : `:${line}`}: cannot be parsed: ${escapeParserMessage(reason)}`,
    );
    this.name = 'SourceParseError';
  }
}

/**
 * Default maximum size of one record (a CSV record or an NDJSON line) in bytes. A larger record
 * fails its file, so one huge value can neither exhaust memory nor reach the store.
 */
export const defaultMaxRecordBytes = 1024 * 1024;

/** Reads a source file row by row, calling `onBytes` with the number of bytes read so far. */
export function readSource(
  path: string,
  format: 'csv' | 'ndjson',
  onBytes: (bytes: number) => void,
  maxRecordBytes = defaultMaxRecordBytes,
): { header: () => readonly string[] | undefined; rows: AsyncGenerator<SourceRow> } {
  const stream = createReadStream(path);
  let bytes = 0;
  stream.on('data', (chunk) => {
    bytes += chunk.length;
    onBytes(bytes);
  });
  if (format === 'ndjson') {
    return { header: () => undefined, rows: readNdjson(path, stream, maxRecordBytes) };
  }
  const state: { header?: string[] } = {};
  return { header: () => state.header, rows: readCsv(path, stream, state, maxRecordBytes) };
}

function columnIndex(header: readonly string[]): Map<string, number> {
  return new Map(header.map((name, index) => [name, index]));
}

async function* readCsv(
  path: string,
  stream: NodeJS.ReadableStream,
  state: { header?: string[] },
  maxRecordBytes: number,
): AsyncGenerator<SourceRow> {
  // bom strips a UTF-8 byte order mark; record_delimiter is detected, so CRLF and LF both work.
  const parser = new LineNumberingParser({
    bom: true,
    max_record_size: maxRecordBytes,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  let index = new Map<string, number>();
  let header: string[] = [];
  try {
    for await (const { record, line } of stream.pipe(parser) as AsyncIterable<CsvItem>) {
      if (state.header === undefined) {
        header = record.map((name) => name.trim());
        state.header = header;
        index = columnIndex(header);
        continue;
      }
      yield csvRow(line, record, header, index);
    }
  } catch (error) {
    throw csvParseError(path, error, parser.lines, maxRecordBytes);
  }
}

interface CsvItem {
  record: string[];
  /** Line the record starts on (1-based). */
  line: number;
}

/**
 * A csv-parse stream that emits each record with the line it starts on. The parser pushes a
 * record synchronously as it completes it, so its live `info` counters describe that record's
 * end at that moment. Reading them there avoids the `info` and `on_record` options, which copy
 * the whole parser context into a new object for every record.
 */
class LineNumberingParser extends Parser {
  readonly lines = createLineCounter();

  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record === null) return super.push(null, encoding);
    const line = this.lines.recordStart(record as string[], this.info);
    return super.push({ record, line }, encoding);
  }
}

interface LineCounter {
  /** Returns the start line of a record just parsed, and moves past its end. */
  recordStart: (
    record: readonly string[],
    context: { lines: number; empty_lines: number },
  ) => number;
  /** Line where the next record starts, leaving out empty lines still to come. */
  nextStart: () => number;
  /** Converts a line counter of csv-parse to a physical line number. */
  physical: (lines: number) => number;
}

/** Tracks record start lines from the parser's counters of lines and skipped empty lines. */
function createLineCounter(): LineCounter {
  let previousEnd = 0;
  let previousEmpty = 0;
  // csv-parse 6 counts a CRLF inside a quoted field as two lines, so each one is subtracted.
  let extraLines = 0;
  return {
    recordStart: (record, context) => {
      const line = previousEnd + 1 + (context.empty_lines - previousEmpty);
      extraLines += quotedCrlfCount(record);
      previousEnd = context.lines - extraLines;
      previousEmpty = context.empty_lines;
      return line;
    },
    nextStart: () => previousEnd + 1,
    physical: (lines) => lines - extraLines,
  };
}

function csvParseError(
  path: string,
  error: unknown,
  lines: LineCounter,
  maxRecordBytes: number,
): SourceParseError {
  if ((error as { code?: string }).code === 'CSV_MAX_RECORD_SIZE') {
    return new SourceParseError(path, lines.nextStart(), recordTooLarge(maxRecordBytes));
  }
  const counter = (error as { lines?: number }).lines;
  const line = counter === undefined ? undefined : lines.physical(counter);
  return new SourceParseError(path, line, (error as Error).message);
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

function recordTooLarge(maxRecordBytes: number): string {
  return `record larger than the maximum of ${maxRecordBytes} bytes; shorten its values or raise the limit (uptake import --max-record-bytes)`;
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

import { createReadStream } from 'node:fs';
import type { TransformCallback } from 'node:stream';
import { Parser } from 'csv-parse';
import { recordTooLarge, SourceParseError } from './source-error';

/** One CSV record with the line it starts on. */
export interface CsvItem {
  record: string[];
  /** Line the record starts on (1-based). */
  line: number;
}

/**
 * Parses a CSV file and yields its records, header included, in batches: the records each chunk
 * read completes. Calls `onBytes` with the number of bytes read so far. Throws SourceParseError
 * with the line when the file cannot be parsed.
 */
export async function* readCsvRecords(
  path: string,
  maxRecordBytes: number,
  onBytes: (bytes: number) => void,
): AsyncGenerator<CsvItem[]> {
  const stream = createReadStream(path);
  let bytes = 0;
  stream.on('data', (chunk) => {
    bytes += chunk.length;
    onBytes(bytes);
  });
  // bom strips a UTF-8 byte order mark; record_delimiter is detected, so CRLF and LF both work.
  // The stream option readableHighWaterMark lets one batch at most wait in the parser.
  const options = {
    bom: true,
    max_record_size: maxRecordBytes,
    relax_column_count: true,
    skip_empty_lines: true,
    readableHighWaterMark: 1,
  };
  const parser = new LineNumberingParser(options);
  try {
    yield* stream.pipe(parser) as AsyncIterable<CsvItem[]>;
  } catch (error) {
    throw csvParseError(path, error, parser.lines, maxRecordBytes);
  }
}

/**
 * A csv-parse stream that emits the records of each chunk as one array, each record with the
 * line it starts on. The parser pushes a record synchronously as it completes it, so its live
 * `info` counters describe that record's end at that moment. Reading them there avoids the
 * `info` and `on_record` options, which copy the whole parser context into a new object for
 * every record.
 */
class LineNumberingParser extends Parser {
  readonly lines = createLineCounter();
  private pending: CsvItem[] = [];

  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record === null) {
      this.pushPending();
      return super.push(null, encoding);
    }
    const line = this.lines.recordStart(record as string[], this.info);
    this.pending.push({ record: record as string[], line });
    return true;
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    super._transform(chunk, encoding, (error) => {
      if (!error) this.pushPending();
      callback(error);
    });
  }

  override _flush(callback: TransformCallback): void {
    super._flush((error) => {
      if (!error) this.pushPending();
      callback(error);
    });
  }

  private pushPending(): void {
    if (this.pending.length === 0) return;
    super.push(this.pending);
    this.pending = [];
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

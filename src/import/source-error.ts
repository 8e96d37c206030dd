import { escapeParserMessage } from './quote';

/** A file that cannot be parsed; nothing from it is stored. */
export class SourceParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(
      `${file}${line === undefined ? '' : `:${line}`}: cannot be parsed: ${escapeParserMessage(reason)}`,
    );
    this.name = 'SourceParseError';
  }
}

/** Returns the reason given when a record is larger than `maxRecordBytes`. */
export function recordTooLarge(maxRecordBytes: number): string {
  return `record larger than the maximum of ${maxRecordBytes} bytes; shorten its values or raise the limit (uptake import --max-record-bytes)`;
}

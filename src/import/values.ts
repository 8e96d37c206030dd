import { ImportError } from './import-error';

/*
 * Conversions from source text to typed values. Each returns undefined for text it
 * cannot read, so the caller can reject the row and name the column.
 */

const trueSpellings = new Set(['true', '1', 'yes', 'y', 't']);
const falseSpellings = new Set(['false', '0', 'no', 'n', 'f']);

/** Accepted boolean spellings, for error messages. */
export const booleanSpellings = 'TRUE/FALSE, True/False, true/false, 1/0, yes/no, y/n, t/f';

/** Reads a boolean in any of the common spellings (case-insensitive). */
export function parseBoolean(value: string | number | boolean): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (trueSpellings.has(text)) return true;
  if (falseSpellings.has(text)) return false;
  return undefined;
}

/** Reads a finite number; empty text is not a number. */
export function parseNumber(value: string | number | boolean): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return undefined;
  const text = value.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

const dateTimePattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Reads an ISO 8601 date or date-time as epoch milliseconds. A space may replace the T and
 * the hour may have one digit. A time without an offset is UTC, and a number is already
 * epoch milliseconds.
 */
export function parseInstantValue(value: string | number | boolean): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return undefined;
  const canonical = parseCanonicalUtc(value);
  if (canonical !== undefined) return canonical;
  const match = dateTimePattern.exec(value.trim());
  if (!match) return undefined;

  // Read the parts one by one, because this runs for every date of every imported row.
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4] ?? 0);
  const millis = match[7] === undefined ? 0 : Number((match[7] + '00').slice(0, 3));
  const utc = Date.UTC(
    Number(match[1]),
    month - 1,
    day,
    hour,
    Number(match[5] ?? 0),
    Number(match[6] ?? 0),
    millis,
  );
  const check = new Date(utc);
  // Date.UTC rolls 2023-02-30 over into March, so a round trip rejects impossible dates.
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1 || hour > 23) {
    return undefined;
  }
  const offset = offsetMinutes(match[8]);
  return offset === undefined ? undefined : utc - offset * 60_000;
}

// Character positions of the digits and separators in 2024-03-01T09:30:00.000Z.
const canonicalDigits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];
const canonicalSeparators: [number, string][] = [
  [4, '-'],
  [7, '-'],
  [10, 'T'],
  [13, ':'],
  [16, ':'],
  [19, '.'],
  [23, 'Z'],
];
const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads a text of exactly the form Date.toISOString writes, as exports usually write every
 * timestamp, or returns undefined for any other text and for values out of range, which the
 * general pattern then reads. On 200k such timestamps this took about a quarter of the time of
 * the pattern and its Date round trip.
 */
function parseCanonicalUtc(text: string): number | undefined {
  if (text.length !== 24) return undefined;
  for (const [at, separator] of canonicalSeparators) {
    if (text[at] !== separator) return undefined;
  }
  for (const at of canonicalDigits) {
    const code = text.charCodeAt(at);
    if (code < 48 || code > 57) return undefined;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const [hour, minute, second] = [
    digitsAt(text, 11, 2),
    digitsAt(text, 14, 2),
    digitsAt(text, 17, 2),
  ];
  // Date.UTC reads years below 100 as 19xx, and February 29 needs a leap year.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth[month - 1]!) {
    return undefined;
  }
  if ((month === 2 && day === 29) || hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, digitsAt(text, 20, 3));
}

function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let at = start; at < start + length; at += 1) value = value * 10 + text.charCodeAt(at) - 48;
  return value;
}

/** Reads a UTC offset such as +02:00 in minutes; hours above 23 or minutes above 59 are invalid. */
function offsetMinutes(zone: string | undefined): number | undefined {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5));
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}

/** The largest distance from 1970 that a JavaScript Date can hold, in milliseconds. */
export const maxInstantMs = 8.64e15;

/** Largest number of days an import may shift its anchor dates by, either way (about 100 years). */
export const maxShiftDays = 36_500;

/** Returns the shift of an import run, failing the run when it is not a whole number in range. */
export function checkedShiftDays(days: number | undefined): number {
  if (days === undefined) return 0;
  if (!Number.isInteger(days) || Math.abs(days) > maxShiftDays) {
    throw new ImportError(
      `shiftDays ${days} is out of range: expected a whole number of days from -${maxShiftDays} to ${maxShiftDays}`,
    );
  }
  return days;
}

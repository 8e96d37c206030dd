import type { EpochDay, EpochMs } from './schema';

/** Milliseconds in one day. */
export const dayMs = 86_400_000;

/** Converts an instant to its UTC day number. */
export function toEpochDay(instant: EpochMs): EpochDay {
  return Math.floor(instant / dayMs);
}

/** Converts a UTC day number to the instant at its start. */
export function fromEpochDay(day: EpochDay): EpochMs {
  return day * dayMs;
}

/**
 * Parses an ISO 8601 date or date-time into epoch milliseconds, or undefined when invalid.
 * Impossible calendar dates such as 2013-02-30 are invalid, because Date.parse rolls them over.
 */
export function parseInstant(text: string): EpochMs | undefined {
  const trimmed = text.trim();
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(trimmed);
  if (!date || !isCalendarDate(Number(date[1]), Number(date[2]), Number(date[3]))) {
    return undefined;
  }
  const value = Date.parse(trimmed);
  return Number.isNaN(value) ? undefined : value;
}

/** Checks that year, month (1-12) and day name a real day of the proleptic Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  // setUTCFullYear keeps years 0-99 as given, unlike Date.UTC.
  const parsed = new Date(0);
  parsed.setUTCFullYear(year, month - 1, day);
  return (
    parsed.getUTCFullYear() === year &&
    parsed.getUTCMonth() === month - 1 &&
    parsed.getUTCDate() === day
  );
}

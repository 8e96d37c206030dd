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

/** Parses an ISO 8601 date or date-time into epoch milliseconds, or undefined when invalid. */
export function parseInstant(text: string): EpochMs | undefined {
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
  const value = Date.parse(trimmed);
  return Number.isNaN(value) ? undefined : value;
}

import type { DecisionPolicy } from './types';

const minuteMs = 60_000;

/**
 * Returns the earliest instant at or after `now` outside quiet hours in the
 * recipient's time zone. An unknown zone falls back to UTC, so a typo in a
 * user's zone delays nothing by more than the quiet hours themselves.
 */
export function quietHoursEnd(
  now: number,
  timeZone: string,
  quietHours: DecisionPolicy['quietHours'],
): number {
  if (!quietHours || quietHours.startHour === quietHours.endHour) return now;
  const minutes = localMinuteOfDay(now, timeZone);
  const start = quietHours.startHour * 60;
  const end = quietHours.endHour * 60;

  const quiet = start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
  if (!quiet) return now;

  const waitMinutes = (end - minutes + 24 * 60) % (24 * 60);
  // Local time is read to the minute, so the wait starts at the current minute's start.
  const candidate = now - (now % minuteMs) + waitMinutes * minuteMs;
  // A daylight-saving change inside the wait shifts local time by up to an
  // hour, so one more step moves the instant back onto the end hour.
  const drift = localMinuteOfDay(candidate, timeZone) - end;
  return drift > 0 && drift < 120 ? candidate - drift * minuteMs : candidate;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Returns minutes since local midnight of `instant` in `timeZone`. */
export function localMinuteOfDay(instant: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const hour = Number(parts.find((part) => part.type === 'hour')?.value ?? 0) % 24;
  const minute = Number(parts.find((part) => part.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = createFormatter(timeZone);
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function createFormatter(timeZone: string): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  try {
    return new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' });
  }
}

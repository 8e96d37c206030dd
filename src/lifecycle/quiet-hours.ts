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

/**
 * Describes a wait for quiet hours for the decision record, such as
 * `quiet hours in Asia/Tokyo until 2026-12-05T08:00:00+09:00`. An unknown
 * zone is named as UTC, because quietHoursEnd falls back to UTC for it.
 */
export function describeQuietHoursWait(until: number, timeZone: string): string {
  const zone = isKnownZone(timeZone) ? timeZone : 'UTC';
  return `quiet hours in ${zone} until ${localIsoString(until, zone)}`;
}

/** Formats an instant as ISO 8601 local time with the zone's UTC offset, to the second. */
export function localIsoString(instant: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((entry) => entry.type === type)?.value ?? 0);
  const wholeSeconds = instant - (((instant % 1000) + 1000) % 1000);
  const localAsUtc = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour') % 24,
    part('minute'),
    part('second'),
  );
  const offsetMinutes = Math.round((localAsUtc - wholeSeconds) / 60_000);
  const local = new Date(localAsUtc).toISOString().slice(0, 19);
  return `${local}${formatOffset(offsetMinutes)}`;
}

function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const hours = String(Math.floor(absolute / 60)).padStart(2, '0');
  const minutes = String(absolute % 60).padStart(2, '0');
  return `${sign}${hours}:${minutes}`;
}

function isKnownZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
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

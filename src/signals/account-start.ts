import type { EpochMs } from '../store/schema';
import { toEpochDay } from '../store/time';
import type { AccountHistory } from './history';

/**
 * Returns the first instant of the account's stored history: its creation,
 * or the start of its first term when the stored term starts earlier.
 */
export function accountStart(history: AccountHistory): EpochMs {
  let start = history.account.created_at;
  for (const contract of history.contracts) start = Math.min(start, contract.start_at);
  return start;
}

/**
 * Thrown by `computeSignals` for an instant on a day before the account
 * existed, where every fact would be a meaningless zero. The message names the
 * account, the requested instant, the creation date and the first day that
 * can be requested.
 */
export class AsOfBeforeAccountError extends Error {
  readonly accountId: string;
  readonly asOf: EpochMs;
  /** The first instant of the account's history (see `accountStart`). */
  readonly accountStart: EpochMs;

  constructor(history: AccountHistory, asOf: EpochMs) {
    const { id, created_at: createdAt } = history.account;
    const start = accountStart(history);
    const termNote = start < createdAt ? ` and its first term started on ${isoDay(start)}` : '';
    super(
      `Account "${id}" did not exist ${isoInstant(asOf)}: it was created on ${isoDay(createdAt)}` +
        `${termNote}. Pick an as-of date on or after ${isoDay(start)}.`,
    );
    this.name = 'AsOfBeforeAccountError';
    this.accountId = id;
    this.asOf = asOf;
    this.accountStart = start;
  }
}

/**
 * Throws `AsOfBeforeAccountError` when `asOf` falls on a UTC day before the
 * one the account's history starts on. The start day itself is allowed, so
 * that a date given without a time (00:00 UTC) works from the creation day on.
 */
export function assertAccountExisted(history: AccountHistory, asOf: EpochMs): void {
  if (toEpochDay(asOf) < toEpochDay(accountStart(history))) {
    throw new AsOfBeforeAccountError(history, asOf);
  }
}

function isoDay(instant: EpochMs): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** Formats "on" and the date alone for midnight UTC (as a command-line date reads), else "at" and the instant. */
function isoInstant(instant: EpochMs): string {
  const iso = new Date(instant).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? `on ${iso.slice(0, 10)}` : `at ${iso}`;
}

import type { EpochDay } from '../store/schema';
import type { UsageDay } from './history';
import type { UsageSummary } from './usage';

/** The active rows of one UTC day, gathered once when the cursor is created. */
interface DayBucket {
  day: EpochDay;
  /** Sum of the counts of the day's rows. */
  events: number;
  /** Distinct user ids active that day, without the empty "no user" id. */
  users: string[];
  /** Distinct feature keys used that day, without the empty login key. */
  features: string[];
}

/** Running totals over every bucket up to the day of the last call. */
interface Cumulative {
  next: number;
  lastActiveDay: EpochDay | null;
  firstActiveDayByUser: Map<string, EpochDay>;
  lastActiveDayByUser: Map<string, EpochDay>;
  lastUsedDayByFeature: Map<string, EpochDay>;
}

/** Summarizes one account's usage at successive days without rereading its whole history. */
export interface UsageCursor {
  /**
   * Returns what `summarizeUsage(rows, asOfDay)` returns. Calls with
   * non-decreasing days are incremental, and an earlier day starts over. The
   * returned maps belong to the cursor and change at the next call.
   */
  summarize(asOfDay: EpochDay): UsageSummary;
}

/**
 * Creates a usage cursor over the daily rollups of one account. Rows are
 * grouped by day once, so each later call reads only the days added since the
 * previous call and the 30 days of the windows, instead of every row.
 *
 * NOTE: event sums are added per day and then per window, whereas
 * `summarizeUsage` adds row by row. The results are equal for whole-number
 * counts below 2^53, which is what the store holds.
 */
export function createUsageCursor(rows: readonly UsageDay[]): UsageCursor {
  const buckets = bucketByDay(rows);
  let state = emptyCumulative();
  let lastDay = -Infinity;
  return {
    summarize(asOfDay) {
      if (asOfDay < lastDay) state = emptyCumulative();
      lastDay = asOfDay;
      advance(state, buckets, asOfDay);
      return summarizeWindows(state, buckets, asOfDay);
    },
  };
}

function emptyCumulative(): Cumulative {
  return {
    next: 0,
    lastActiveDay: null,
    firstActiveDayByUser: new Map(),
    lastActiveDayByUser: new Map(),
    lastUsedDayByFeature: new Map(),
  };
}

/** Groups the rows with a count above 0 by day, in ascending day order. */
function bucketByDay(rows: readonly UsageDay[]): DayBucket[] {
  const byDay = new Map<EpochDay, DayBucket>();
  for (const row of rows) {
    if (!(row.count > 0)) continue;
    let bucket = byDay.get(row.day);
    if (!bucket) {
      bucket = { day: row.day, events: 0, users: [], features: [] };
      byDay.set(row.day, bucket);
    }
    bucket.events += row.count;
    if (row.user_id !== '' && !bucket.users.includes(row.user_id)) bucket.users.push(row.user_id);
    if (row.feature_key !== '' && !bucket.features.includes(row.feature_key)) {
      bucket.features.push(row.feature_key);
    }
  }
  return [...byDay.values()].sort((left, right) => left.day - right.day);
}

/** Adds the buckets dated up to `asOfDay` that earlier calls have not read. */
function advance(state: Cumulative, buckets: readonly DayBucket[], asOfDay: EpochDay): void {
  for (; state.next < buckets.length; state.next += 1) {
    const bucket = buckets[state.next]!;
    if (bucket.day > asOfDay) return;
    state.lastActiveDay = bucket.day;
    for (const user of bucket.users) {
      if (!state.firstActiveDayByUser.has(user)) state.firstActiveDayByUser.set(user, bucket.day);
      state.lastActiveDayByUser.set(user, bucket.day);
    }
    for (const feature of bucket.features) state.lastUsedDayByFeature.set(feature, bucket.day);
  }
}

/** Computes the 7-, 14-, 28- and 30-day figures from the buckets read so far. */
function summarizeWindows(
  state: Cumulative,
  buckets: readonly DayBucket[],
  asOfDay: EpochDay,
): UsageSummary {
  let activeDaysLast7 = 0;
  let activeDaysLast30 = 0;
  let eventsLast14 = 0;
  let eventsPrior14 = 0;
  const activeDaysLast28ByUser = new Map<string, number>();

  // Buckets are in ascending day order, so walking back from the last one read stops at 30 days.
  for (let index = state.next - 1; index >= 0; index -= 1) {
    const bucket = buckets[index]!;
    const age = asOfDay - bucket.day;
    if (age >= 30) break;
    activeDaysLast30 += 1;
    if (age < 7) activeDaysLast7 += 1;
    if (age < 14) eventsLast14 += bucket.events;
    else if (age < 28) eventsPrior14 += bucket.events;
    if (age >= 28) continue;
    for (const user of bucket.users) {
      activeDaysLast28ByUser.set(user, (activeDaysLast28ByUser.get(user) ?? 0) | (1 << age));
    }
  }

  return {
    activeDaysLast7,
    activeDaysLast30,
    activeUsersLast30: countSince(state.lastActiveDayByUser, asOfDay - 29),
    lastActiveDay: state.lastActiveDay,
    featuresUsedLast30: countSince(state.lastUsedDayByFeature, asOfDay - 29),
    lastUsedDayByFeature: state.lastUsedDayByFeature,
    eventsLast14,
    eventsPrior14,
    activeDaysLast28ByUser,
    firstActiveDayByUser: state.firstActiveDayByUser,
  };
}

/** Counts the entries whose last day is `firstDay` or later. */
function countSince(lastDays: ReadonlyMap<string, EpochDay>, firstDay: EpochDay): number {
  let count = 0;
  for (const day of lastDays.values()) if (day >= firstDay) count += 1;
  return count;
}

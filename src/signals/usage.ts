import type { EpochDay } from '../store/schema';
import type { UsageDay } from './history';

/**
 * Usage figures of one account as of one UTC day, gathered in one pass over
 * the daily rollups.
 *
 * Windows are counted in UTC day numbers: "the last N days" are the days
 * `asOfDay - N + 1 .. asOfDay`, so a row dated on the asOf day counts and a
 * row dated the day after does not. A rollup row is activity when its count
 * is above 0. The empty user id means "no user" and the empty feature key
 * means a login, so neither counts as a user or as a feature.
 */
export interface UsageSummary {
  activeDaysLast7: number;
  activeDaysLast30: number;
  activeUsersLast30: number;
  /** The last day with activity on or before the asOf day, if any. */
  lastActiveDay: EpochDay | null;
  featuresUsedLast30: number;
  /** Per feature key, the last day on or before the asOf day it was used. */
  lastUsedDayByFeature: Map<string, EpochDay>;
  /** Sum of counts in days `asOfDay - 13 .. asOfDay`. */
  eventsLast14: number;
  /** Sum of counts in days `asOfDay - 27 .. asOfDay - 14`. */
  eventsPrior14: number;
  /**
   * Per user id, the active days of the last 28 days as a bit mask: bit `n`
   * is set when the user was active `n` days before the asOf day.
   */
  activeDaysLast28ByUser: Map<string, number>;
  /** Per user id, the first active day on or before the asOf day. */
  firstActiveDayByUser: Map<string, EpochDay>;
}

/** Summarizes the daily rollups of one account up to and including `asOfDay`. */
export function summarizeUsage(rows: readonly UsageDay[], asOfDay: EpochDay): UsageSummary {
  // Bit n set = active n days before the asOf day. Masks replace sets of days because
  // this loop runs for every account at every backtest step.
  let activeDaysMask = 0;
  const users30 = new Set<string>();
  const features30 = new Set<string>();
  const summary: UsageSummary = {
    activeDaysLast7: 0,
    activeDaysLast30: 0,
    activeUsersLast30: 0,
    lastActiveDay: null,
    featuresUsedLast30: 0,
    lastUsedDayByFeature: new Map(),
    eventsLast14: 0,
    eventsPrior14: 0,
    activeDaysLast28ByUser: new Map(),
    firstActiveDayByUser: new Map(),
  };

  for (const row of rows) {
    if (row.day > asOfDay || !(row.count > 0)) continue;
    const age = asOfDay - row.day;
    recordLastUse(summary, row);
    if (age < 14) summary.eventsLast14 += row.count;
    else if (age < 28) summary.eventsPrior14 += row.count;
    if (age < 28 && row.user_id !== '') recordUserDay(summary, row.user_id, age);
    if (age < 30) {
      activeDaysMask |= 1 << age;
      if (row.user_id !== '') users30.add(row.user_id);
      if (row.feature_key !== '') features30.add(row.feature_key);
    }
  }

  summary.activeDaysLast7 = countBits(activeDaysMask & 0b111_1111);
  summary.activeDaysLast30 = countBits(activeDaysMask);
  summary.activeUsersLast30 = users30.size;
  summary.featuresUsedLast30 = features30.size;
  return summary;
}

function recordLastUse(summary: UsageSummary, row: UsageDay): void {
  if (summary.lastActiveDay === null || row.day > summary.lastActiveDay) {
    summary.lastActiveDay = row.day;
  }
  const firstOfUser = summary.firstActiveDayByUser.get(row.user_id);
  if (row.user_id !== '' && (firstOfUser === undefined || row.day < firstOfUser)) {
    summary.firstActiveDayByUser.set(row.user_id, row.day);
  }
  if (row.feature_key === '') return;
  const previous = summary.lastUsedDayByFeature.get(row.feature_key);
  if (previous === undefined || row.day > previous) {
    summary.lastUsedDayByFeature.set(row.feature_key, row.day);
  }
}

function recordUserDay(summary: UsageSummary, userId: string, age: number): void {
  const mask = summary.activeDaysLast28ByUser.get(userId) ?? 0;
  summary.activeDaysLast28ByUser.set(userId, mask | (1 << age));
}

/** Counts the set bits of a 32-bit mask. */
export function countBits(mask: number): number {
  let count = 0;
  for (let rest = mask >>> 0; rest !== 0; rest &= rest - 1) count += 1;
  return count;
}

/**
 * Divides events of the last 14 days by those of the 14 days before. Returns
 * null when both windows are empty. When only the earlier window is empty the
 * earlier window counts as one event, so the trend equals the recent event
 * count: a finite value of at least 1 that reads as growth from nothing.
 */
export function computeUsageTrend(eventsLast14: number, eventsPrior14: number): number | null {
  if (eventsLast14 === 0 && eventsPrior14 === 0) return null;
  return eventsLast14 / Math.max(eventsPrior14, 1);
}

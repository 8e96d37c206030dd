import { fitLogistic, predictProbability } from './logistic';
import {
  chooseThreshold,
  computeAuc,
  quantileSorted,
  summarize,
  type Distribution,
  type Threshold,
} from './statistics';

/**
 * The numeric facts that benchmarks are learned for. Durations that stay null
 * until something happens (daysToOnboard, daysToValue) are left out because
 * their absence, not their value, carries the information.
 */
export const benchmarkSignals = [
  'activeDaysLast7',
  'activeDaysLast30',
  'activeUsersLast30',
  'seatUtilization',
  'daysSinceLastActive',
  'featuresUsedLast30',
  'featureBreadth',
  'usageTrend',
  'onboardingCompletion',
  'overdueMilestones',
  'goalsMet',
  'openTickets',
  'ticketsFirst30Days',
  'usersBelowCadence',
  'cadenceAttainment',
] as const;

/** One account's signal values at one account age, with the outcome its term had. */
export interface OutcomeSample {
  accountId: string;
  /** Whole weeks since the term started. */
  week: number;
  renewed: boolean;
  values: Record<string, number | null>;
}

/** Learned statistics of one signal at one account age. */
export interface SignalWeekBenchmark {
  renewed: Distribution;
  churned: Distribution;
  /** Separation of renewed from churned accounts by this signal (AUC); 0.5 is chance. */
  auc: number | null;
  threshold: Threshold | null;
  /** Mean and standard deviation over all accounts of that age, used to standardize for the health score. */
  mean: number;
  sd: number;
  /** Largest value seen at that age, used in place of a null that means "never happened". */
  max: number;
  /** The 0th, 1st, ..., 100th percentiles among renewed accounts, for percentile facts. */
  renewedPercentiles: number[];
}

/** Benchmarks of every signal at one account age. */
export interface WeekBenchmark {
  week: number;
  renewedAccounts: number;
  churnedAccounts: number;
  signals: Record<string, SignalWeekBenchmark>;
}

/** Health score model: 100 * sigmoid(intercept + sum of weight * standardized signal). */
export interface HealthModel {
  intercept: number;
  weights: Record<string, number>;
  /** AUC of the score on the samples it was fitted on. */
  trainingAuc: number | null;
}

/** The learned content of a benchmark set, stored as its JSON payload. */
export interface BenchmarkPayload {
  signals: string[];
  samples: number;
  renewedAccounts: number;
  churnedAccounts: number;
  weeks: WeekBenchmark[];
  health: HealthModel;
}

/** A stored, versioned benchmark set. */
export interface BenchmarkSet extends BenchmarkPayload {
  version: number;
  createdAt: number;
  /** Only terms that ended before this instant were learned from; null for all ended terms. */
  termsBefore: number | null;
}

/** Learns distributions, AUCs, thresholds and health weights from outcome samples. */
export function learnBenchmarks(
  samples: readonly OutcomeSample[],
  signals: readonly string[] = benchmarkSignals,
): BenchmarkPayload {
  const byWeek = groupByWeek(samples);
  const weeks = [...byWeek.entries()]
    .sort(([a], [b]) => a - b)
    .map(([week, weekSamples]) => learnWeek(week, weekSamples, signals));
  const health = learnHealthModel(samples, weeks, signals);
  const renewed = new Set(samples.filter((s) => s.renewed).map((s) => s.accountId));
  const churned = new Set(samples.filter((s) => !s.renewed).map((s) => s.accountId));
  return {
    signals: [...signals],
    samples: samples.length,
    renewedAccounts: renewed.size,
    churnedAccounts: churned.size,
    weeks,
    health,
  };
}

function groupByWeek(samples: readonly OutcomeSample[]): Map<number, OutcomeSample[]> {
  const byWeek = new Map<number, OutcomeSample[]>();
  for (const sample of samples) {
    const list = byWeek.get(sample.week) ?? [];
    list.push(sample);
    byWeek.set(sample.week, list);
  }
  return byWeek;
}

function learnWeek(
  week: number,
  samples: OutcomeSample[],
  signals: readonly string[],
): WeekBenchmark {
  const result: WeekBenchmark = {
    week,
    renewedAccounts: samples.filter((s) => s.renewed).length,
    churnedAccounts: samples.filter((s) => !s.renewed).length,
    signals: {},
  };
  for (const signal of signals) {
    const renewed = valuesOf(samples, signal, true);
    const churned = valuesOf(samples, signal, false);
    const all = [...renewed, ...churned];
    const mean = all.length === 0 ? 0 : all.reduce((sum, v) => sum + v, 0) / all.length;
    const variance =
      all.length === 0 ? 0 : all.reduce((sum, v) => sum + (v - mean) ** 2, 0) / all.length;
    const sortedRenewed = [...renewed].sort((a, b) => a - b);
    result.signals[signal] = {
      renewed: summarize(renewed),
      churned: summarize(churned),
      auc: computeAuc(renewed, churned),
      threshold: chooseThreshold(renewed, churned),
      mean,
      sd: Math.sqrt(variance),
      max: all.reduce((max, v) => Math.max(max, v), 0),
      renewedPercentiles: percentileTable(sortedRenewed),
    };
  }
  return result;
}

function valuesOf(samples: readonly OutcomeSample[], signal: string, renewed: boolean): number[] {
  const values: number[] = [];
  for (const sample of samples) {
    const value = sample.values[signal];
    if (sample.renewed === renewed && typeof value === 'number' && Number.isFinite(value))
      values.push(value);
  }
  return values;
}

function percentileTable(sorted: readonly number[]): number[] {
  if (sorted.length === 0) return [];
  return Array.from({ length: 101 }, (_, i) => quantileSorted(sorted, i / 100)!);
}

/** Per payload, the week to use for each whole week of age, built on first use. */
const weekTables = new WeakMap<BenchmarkPayload, WeekBenchmark[]>();

/**
 * Returns the benchmark of the closest learned week at or below `week` (the
 * first learned week when below all, the last one when beyond all). Lookups
 * go through a table per payload, because scoring runs once per account check.
 */
export function findWeek(payload: BenchmarkPayload, week: number): WeekBenchmark | undefined {
  let table = weekTables.get(payload);
  if (!table) {
    table = buildWeekTable(payload.weeks);
    weekTables.set(payload, table);
  }
  if (table.length === 0) return undefined;
  return table[Math.min(Math.max(0, week), table.length - 1)];
}

function buildWeekTable(weeks: readonly WeekBenchmark[]): WeekBenchmark[] {
  const last = weeks.at(-1);
  if (!last) return [];
  const table: WeekBenchmark[] = [];
  let index = 0;
  for (let week = 0; week <= last.week; week += 1) {
    while (index + 1 < weeks.length && weeks[index + 1]!.week <= week) index += 1;
    table.push(weeks[index]!);
  }
  return table;
}

/**
 * Signals whose null means the event never happened, which is worse than the
 * longest wait seen: an account never active has waited longer than any other.
 */
const nullMeansNever = new Set(['daysSinceLastActive']);

/**
 * Standardizes signal values against one week's mean and sd. A null that
 * means "never" takes the week's maximum. Any other missing value, and a
 * constant signal, becomes 0 (the mean), so it moves the score neither way.
 */
export function standardize(
  week: WeekBenchmark,
  values: Record<string, number | null | undefined>,
  signals: readonly string[],
): number[] {
  return signals.map((signal) => {
    const stats = week.signals[signal];
    let value = values[signal];
    if (value === null && nullMeansNever.has(signal) && stats) value = stats.max;
    if (!stats || typeof value !== 'number' || !Number.isFinite(value) || stats.sd === 0) return 0;
    return (value - stats.mean) / stats.sd;
  });
}

function learnHealthModel(
  samples: readonly OutcomeSample[],
  weeks: readonly WeekBenchmark[],
  signals: readonly string[],
): HealthModel {
  const weekByNumber = new Map(weeks.map((week) => [week.week, week]));
  const rows = samples.map((sample) =>
    standardize(weekByNumber.get(sample.week)!, sample.values, signals),
  );
  const labels = samples.map((sample) => (sample.renewed ? 1 : 0));
  const model = fitLogistic(rows, labels);

  const scores = rows.map((row) => predictProbability(model, row));
  const trainingAuc = computeAuc(
    scores.filter((_, i) => labels[i] === 1),
    scores.filter((_, i) => labels[i] === 0),
  );
  const weights: Record<string, number> = {};
  signals.forEach((signal, j) => (weights[signal] = model.weights[j]!));
  return { intercept: model.intercept, weights, trainingAuc };
}

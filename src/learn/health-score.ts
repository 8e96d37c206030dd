import { findWeek, standardize, type BenchmarkPayload } from './benchmark-set';
import { sigmoid } from './logistic';
import { percentileRank } from './statistics';

/** A health score with each signal's contribution to the log-odds, for explanations. */
export interface HealthScore {
  score: number;
  week: number;
  /** Per signal: learned weight times the standardized value. Positive values raise the score. */
  contributions: Record<string, number>;
}

/**
 * Scores one account 0..100 at its age in days, or returns null when the set
 * has no learned weeks. Ages beyond the last learned week use that week.
 */
export function scoreHealth(
  payload: BenchmarkPayload,
  ageDays: number,
  values: Record<string, number | null | undefined>,
): HealthScore | null {
  const week = findWeek(payload, Math.floor(ageDays / 7));
  if (!week) return null;

  const standardized = standardize(week, values, payload.signals);
  const contributions: Record<string, number> = {};
  let logOdds = payload.health.intercept;
  payload.signals.forEach((signal, j) => {
    const contribution = (payload.health.weights[signal] ?? 0) * standardized[j]!;
    contributions[signal] = contribution;
    logOdds += contribution;
  });
  return { score: 100 * sigmoid(logOdds), week: week.week, contributions };
}

/**
 * Returns, per signal, the account's percentile (0..100) among renewed
 * accounts of the same age. Signals without a value or without renewed
 * samples at that age are left out.
 */
export function computePercentiles(
  payload: BenchmarkPayload,
  ageDays: number,
  values: Record<string, number | null | undefined>,
): Record<string, number> {
  const week = findWeek(payload, Math.floor(ageDays / 7));
  const percentiles: Record<string, number> = {};
  if (!week) return percentiles;

  for (const signal of payload.signals) {
    const value = values[signal];
    const table = week.signals[signal]?.renewedPercentiles ?? [];
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const percentile = percentileRank(table, value);
    if (percentile !== null) percentiles[signal] = percentile;
  }
  return percentiles;
}

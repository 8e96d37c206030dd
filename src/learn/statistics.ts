/**
 * Plain statistics used to learn benchmarks from past outcomes: rank-based
 * AUC, quantiles, mid-rank percentiles and a threshold chosen by Youden's J.
 */

/** Five-number-plus summary of one sample. Quantiles use linear interpolation. */
export interface Distribution {
  n: number;
  mean: number | null;
  p10: number | null;
  p25: number | null;
  p50: number | null;
  p75: number | null;
  p90: number | null;
}

/** A cut-off on one signal with the direction in which values are healthier. */
export interface Threshold {
  value: number;
  /** 'higher' when values at or above `value` predict renewal, 'lower' when values at or below it do. */
  healthier: 'higher' | 'lower';
  sensitivity: number;
  specificity: number;
  /** Youden's J = sensitivity + specificity - 1, in -1..1. */
  youdenJ: number;
}

/**
 * Computes the area under the ROC curve of `positives` against `negatives` by
 * the rank (Mann-Whitney U) method, with tied values given their mean rank so
 * that a tie counts one half. Returns null when either sample is empty.
 */
export function computeAuc(
  positives: readonly number[],
  negatives: readonly number[],
): number | null {
  if (positives.length === 0 || negatives.length === 0) return null;

  const pooled = [
    ...positives.map((value) => ({ value, positive: true })),
    ...negatives.map((value) => ({ value, positive: false })),
  ].sort((a, b) => a.value - b.value);

  let positiveRankSum = 0;
  let start = 0;
  while (start < pooled.length) {
    let end = start;
    while (end < pooled.length && pooled[end]!.value === pooled[start]!.value) end += 1;
    // Ranks are 1-based: the tie group covers ranks start+1 .. end.
    const meanRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i += 1) if (pooled[i]!.positive) positiveRankSum += meanRank;
    start = end;
  }

  const nPositive = positives.length;
  const u = positiveRankSum - (nPositive * (nPositive + 1)) / 2;
  return u / (nPositive * negatives.length);
}

/** Returns the q-quantile (0..1) of an ascending array by linear interpolation, or null when empty. */
export function quantileSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const weight = position - lower;
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}

/** Summarizes a sample: count, mean and the 10/25/50/75/90th percentiles. */
export function summarize(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.length === 0 ? null : sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return {
    n: sorted.length,
    mean,
    p10: quantileSorted(sorted, 0.1),
    p25: quantileSorted(sorted, 0.25),
    p50: quantileSorted(sorted, 0.5),
    p75: quantileSorted(sorted, 0.75),
    p90: quantileSorted(sorted, 0.9),
  };
}

/**
 * Returns the mid-rank percentile (0..100) of `value` in an ascending array:
 * the share of values below it plus half the share equal to it. Returns null
 * for an empty array.
 */
export function percentileRank(sorted: readonly number[], value: number): number | null {
  if (sorted.length === 0) return null;
  const below = lowerBound(sorted, value);
  const equal = lowerBound(sorted, value, true) - below;
  return (100 * (below + equal / 2)) / sorted.length;
}

/** Index of the first element >= value (or > value when `strict`), by binary search. */
function lowerBound(sorted: readonly number[], value: number, strict = false): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const element = sorted[middle]!;
    if (element < value || (strict && element === value)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Chooses the cut-off that maximizes Youden's J between renewed and churned
 * values. The direction follows the AUC: when renewed accounts tend to have
 * higher values, "at or above the cut-off" predicts renewal. Returns null when
 * either sample is empty.
 */
export function chooseThreshold(
  renewed: readonly number[],
  churned: readonly number[],
): Threshold | null {
  const auc = computeAuc(renewed, churned);
  if (auc === null) return null;
  const healthier = auc >= 0.5 ? 'higher' : 'lower';
  const sign = healthier === 'higher' ? 1 : -1;

  // Flip the sign so that "score >= cut" always predicts renewal, then sweep the distinct values.
  const positives = renewed.map((v) => sign * v).sort((a, b) => a - b);
  const negatives = churned.map((v) => sign * v).sort((a, b) => a - b);
  const candidates = [...new Set([...positives, ...negatives])].sort((a, b) => a - b);

  let best: Threshold | null = null;
  for (const cut of candidates) {
    const sensitivity = 1 - lowerBound(positives, cut) / positives.length;
    const specificity = lowerBound(negatives, cut) / negatives.length;
    const youdenJ = sensitivity + specificity - 1;
    if (best === null || youdenJ > best.youdenJ) {
      best = { value: sign * cut, healthier, sensitivity, specificity, youdenJ };
    }
  }
  return best;
}

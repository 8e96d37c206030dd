import fc from 'fast-check';
import {
  chooseThreshold,
  computeAuc,
  percentileRank,
  quantileSorted,
  summarize,
} from '../../src/learn/statistics';

/** AUC by comparing every pair, the definition the rank method must match. */
function pairwiseAuc(positives: number[], negatives: number[]): number {
  let wins = 0;
  for (const p of positives) {
    for (const n of negatives) {
      if (p > n) wins += 1;
      else if (p === n) wins += 0.5;
    }
  }
  return wins / (positives.length * negatives.length);
}

describe('computeAuc', () => {
  it('is 1 for perfect separation', () => {
    expect(computeAuc([3, 4, 5], [0, 1, 2])).toBe(1);
  });

  it('is 0 for reversed separation', () => {
    expect(computeAuc([0, 1], [5, 6])).toBe(0);
  });

  it('counts ties as one half', () => {
    expect(computeAuc([1, 1], [1, 1])).toBe(0.5);
  });

  it('handles a mixed case with ties', () => {
    // Pairs: 2>1, 2=2, 2<3; 3>1, 3>2, 3=3 -> (1 + 0.5 + 0 + 1 + 1 + 0.5) / 6.
    expect(computeAuc([2, 3], [1, 2, 3])).toBeCloseTo(4 / 6, 12);
  });

  it('is null for an empty sample', () => {
    expect(computeAuc([], [1])).toBeNull();
  });

  it('matches the pairwise definition', () => {
    const sample = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(sample, sample, (positives, negatives) => {
        const rank = computeAuc(positives, negatives)!;
        return Math.abs(rank - pairwiseAuc(positives, negatives)) < 1e-9;
      }),
    );
  });
});

describe('quantileSorted', () => {
  it('interpolates between neighbours', () => {
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
  });

  it('returns the extremes at 0 and 1', () => {
    expect(quantileSorted([1, 2, 9], 1)).toBe(9);
  });

  it('is null when empty', () => {
    expect(quantileSorted([], 0.5)).toBeNull();
  });
});

describe('summarize', () => {
  const summary = summarize([5, 1, 3, 2, 4]);

  it('counts values', () => {
    expect(summary.n).toBe(5);
  });

  it('computes the mean', () => {
    expect(summary.mean).toBe(3);
  });

  it('computes the median of unsorted input', () => {
    expect(summary.p50).toBe(3);
  });
});

describe('percentileRank', () => {
  it('gives the middle of a tie group', () => {
    expect(percentileRank([1, 2, 2, 3], 2)).toBe(50);
  });

  it('gives 0 below every value', () => {
    expect(percentileRank([1, 2], 0)).toBe(0);
  });

  it('gives 100 above every value', () => {
    expect(percentileRank([1, 2], 5)).toBe(100);
  });
});

describe('chooseThreshold', () => {
  it('separates higher renewed values', () => {
    const threshold = chooseThreshold([5, 6, 7], [1, 2, 3])!;
    expect(threshold.value).toBe(5);
    expect(threshold.healthier).toBe('higher');
    expect(threshold.youdenJ).toBe(1);
  });

  it('flips for lower-is-healthier signals', () => {
    const threshold = chooseThreshold([0, 1], [10, 12])!;
    expect(threshold.healthier).toBe('lower');
    expect(threshold.value).toBe(1);
  });

  it('reports sensitivity and specificity', () => {
    const threshold = chooseThreshold([2, 4, 6, 8], [1, 3, 5, 7])!;
    expect(threshold.sensitivity + threshold.specificity - 1).toBeCloseTo(threshold.youdenJ, 12);
  });
});

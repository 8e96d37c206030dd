import { buildAdoptionIndex, categoriesAsOf } from '../../src/learn/adoption-index';
import { learnBenchmarks } from '../../src/learn/benchmark-set';
import { createEnrich } from '../../src/learn/enrich';
import type { AccountFacts } from '../../src/signals/catalog';
import { dayMs } from '../../src/store/time';

const starts = new Map(Array.from({ length: 40 }, (_, i) => [`a${i}`, 100] as [string, number]));
const firstUses = Array.from({ length: 40 }, (_, i) => ({
  accountId: `a${i}`,
  featureKey: 'reports',
  firstUseDay: 100 + i,
}));
const adoption = buildAdoptionIndex(
  firstUses,
  [{ key: 'reports', releasedDay: null }],
  starts,
  1000,
);

describe('buildAdoptionIndex', () => {
  it('makes the first user an innovator', () => {
    expect(categoriesAsOf(adoption, 'a0', 1000).reports).toBe('innovator');
  });

  it('makes the last user a laggard', () => {
    expect(categoriesAsOf(adoption, 'a39', 1000).reports).toBe('laggard');
  });

  it('hides a category before first use', () => {
    expect(categoriesAsOf(adoption, 'a39', 120).reports).toBeUndefined();
  });

  it('measures delay from a later account start', () => {
    const late = new Map([...starts, ['late', 130]]);
    const uses = [...firstUses, { accountId: 'late', featureKey: 'reports', firstUseDay: 130 }];
    const index = buildAdoptionIndex(uses, [{ key: 'reports', releasedDay: null }], late, 1000);
    expect(categoriesAsOf(index, 'late', 1000).reports).toBe('innovator');
  });
});

const facts = {
  accountId: 'a1',
  accountAgeDays: 10,
  activeDaysLast7: 6,
  percentiles: {},
  healthScore: null,
  adopterCategories: {},
  isEarlyAdopter: false,
} as unknown as AccountFacts;

const benchmarks = learnBenchmarks(
  Array.from({ length: 20 }, (_, i) => ({
    accountId: `b${i}`,
    week: 1,
    renewed: i % 2 === 0,
    values: { activeDaysLast7: i % 2 === 0 ? 5 + (i % 3) : i % 3 },
  })),
  ['activeDaysLast7'],
);

describe('createEnrich', () => {
  const enriched = createEnrich({ benchmarks, adoption })(facts, undefined, 1000 * dayMs);

  it('fills the health score', () => {
    expect(enriched.healthScore).toBeGreaterThan(50);
  });

  it('fills percentiles', () => {
    expect(enriched.percentiles.activeDaysLast7).toBeGreaterThan(50);
  });

  it('fills adopter categories', () => {
    // a1 is the second of 40 adopters: its mid-position share 1.5 / 40 falls in 2.5%..16%.
    expect(enriched.adopterCategories.reports).toBe('early_adopter');
  });

  it('flags early adopters', () => {
    expect(enriched.isEarlyAdopter).toBe(true);
  });

  it('leaves facts unchanged without a set', () => {
    expect(createEnrich({})(facts, undefined, 0).healthScore).toBeNull();
  });
});

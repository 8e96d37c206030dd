import { findWeek } from '../../src/learn/benchmark-set';
import { loadAdoptionIndex } from '../../src/learn/adoption-from-store';
import { categoriesAsOf } from '../../src/learn/adoption-index';
import { collectStoreSamples, learnFromStore } from '../../src/learn/learn-from-store';
import type { Store } from '../../src/store/database';
import { dayMs } from '../../src/store/time';
import { createPortfolioStore, fixtureStart } from './portfolio-fixture';

describe('learnFromStore', () => {
  let store: Store;

  beforeAll(async () => {
    store = await createPortfolioStore(20);
  });
  afterAll(async () => store.close());

  it('samples churned accounts only while they stayed', async () => {
    const samples = await collectStoreSamples(store, { accountPattern: /acct-001/ });
    // Churn on day 90: weeks 1..12 (day 84) are before it.
    expect(samples.map((s) => s.week)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('separates renewed from churned by activity', async () => {
    const payload = await learnFromStore(store);
    expect(findWeek(payload, 8)?.signals.activeDaysLast30?.auc).toBe(1);
  });

  it('weights recent activity positively', async () => {
    const payload = await learnFromStore(store);
    expect(payload.health.weights.activeDaysLast30).toBeGreaterThan(0);
  });

  it('rejects a cut-off before every outcome', async () => {
    await expect(learnFromStore(store, { termsBefore: fixtureStart })).rejects.toThrow(
      '0 accounts with a renewed term and 0 with a churned term',
    );
  });

  it('ranks the earliest feature user first', async () => {
    const index = await loadAdoptionIndex(store, fixtureStart + 200 * dayMs);
    const day = Math.floor(fixtureStart / dayMs) + 200;
    // Of 20 accounts the first sits at share 0.5 / 20 = 2.5%, the start of the early adopters.
    expect(categoriesAsOf(index, 'acct-000', day).reports).toBe('early_adopter');
    expect(categoriesAsOf(index, 'acct-019', day).reports).toBe('laggard');
  });
});

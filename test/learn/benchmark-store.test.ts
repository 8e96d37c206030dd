import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { learnBenchmarks } from '../../src/learn/benchmark-set';
import { loadBenchmarkSet, saveBenchmarkSet } from '../../src/learn/benchmark-store';
import { openStore, type Store } from '../../src/store/database';

const payload = learnBenchmarks(
  Array.from({ length: 10 }, (_, i) => ({
    accountId: `a${i}`,
    week: 1,
    renewed: i < 5,
    values: { activeDaysLast7: i < 5 ? 5 : 1 },
  })),
  ['activeDaysLast7'],
);

describe('benchmark store', () => {
  let store: Store;

  beforeAll(async () => {
    store = await openStore(join(mkdtempSync(join(tmpdir(), 'uptake-bench-set-')), 'db.sqlite'));
  });
  afterAll(async () => store.close());

  it('numbers versions from 1', async () => {
    const first = await saveBenchmarkSet(store, payload, { createdAt: 1, termsBefore: null });
    const second = await saveBenchmarkSet(store, payload, { createdAt: 2, termsBefore: 5 });
    expect(first.version).toBe(1);
    expect(second.version).toBe(2);
  });

  it('loads the latest version', async () => {
    const latest = await loadBenchmarkSet(store);
    expect(latest?.version).toBe(2);
    expect(latest?.termsBefore).toBe(5);
  });

  it('loads a given version', async () => {
    expect((await loadBenchmarkSet(store, 1))?.createdAt).toBe(1);
  });

  it('keeps the payload', async () => {
    const loaded = await loadBenchmarkSet(store, 1);
    expect(loaded?.weeks[0]?.signals.activeDaysLast7?.auc).toBe(1);
  });

  it('writes per-signal rows', async () => {
    const rows = await store.db
      .selectFrom('benchmark_signals')
      .selectAll()
      .where('version', '=', 1)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.auc).toBe(1);
  });

  it('returns undefined for an unknown version', async () => {
    expect(await loadBenchmarkSet(store, 99)).toBeUndefined();
  });
});

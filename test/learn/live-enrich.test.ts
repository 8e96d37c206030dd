import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLiveEnrich } from '../../src/learn/live-enrich';
import { silentLogger } from '../../src/logger';
import type { AccountFacts } from '../../src/signals/catalog';
import { openStore, type Store } from '../../src/store/database';
import { insertUsageEvents, upsertAccounts, upsertFeatures } from '../../src/store/ingest';

const day = 86_400_000;
const start = Date.UTC(2026, 0, 1);

function factsFor(accountId: string): AccountFacts {
  return { accountId, adopterCategories: {}, isEarlyAdopter: false } as unknown as AccountFacts;
}

describe('startLiveEnrich', () => {
  let store: Store;

  beforeAll(async () => {
    store = await openStore(join(mkdtempSync(join(tmpdir(), 'uptake-live-')), 'store.sqlite'));
    await upsertFeatures(store, [{ key: 'reports', name: 'Reports', released_at: start }]);
    const accounts = Array.from({ length: 10 }, (_, i) => ({
      id: `acct-${i}`,
      name: `Account ${i}`,
      created_at: start,
      updated_at: start,
    }));
    await upsertAccounts(store, accounts);
  });

  afterAll(async () => {
    await store.close();
  });

  it('picks up first uses after a refresh', async () => {
    const live = await startLiveEnrich(store, silentLogger, { now: () => start + 30 * day });
    const before = live.enrich(factsFor('acct-0'), undefined, start + 30 * day);

    await insertUsageEvents(store, [
      { event_id: 'e0', account_id: 'acct-0', feature_key: 'reports', occurred_at: start + day },
      {
        event_id: 'e1',
        account_id: 'acct-1',
        feature_key: 'reports',
        occurred_at: start + 9 * day,
      },
    ]);
    await live.refresh();
    const after = live.enrich(factsFor('acct-0'), undefined, start + 30 * day);
    live.stop();

    expect(before.adopterCategories).toEqual({});
    expect(after.isEarlyAdopter).toBe(true);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/database';
import { insertUsageEvents, UsageWriter, type UsageEventInput } from '../../src/store/ingest';

const day = 86_400_000;
const t0 = Date.UTC(2026, 0, 5, 9);

function event(id: string, offsetMs: number, count: number): UsageEventInput {
  return {
    event_id: id,
    account_id: 'a1',
    user_id: 'u1',
    feature_key: 'reports',
    occurred_at: t0 + offsetMs,
    count,
  };
}

describe('UsageWriter', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(join(mkdtempSync(join(tmpdir(), 'uptake-usage-')), 'u.sqlite'));
  });
  afterEach(async () => {
    await store.close();
  });

  it('sums rollups across batches', async () => {
    const results = await store.db.transaction().execute(async (trx) => {
      const writer = new UsageWriter({ ...store, db: trx });
      const first = await writer.insert([event('e1', 0, 2)]);
      const second = await writer.insert([event('e2', 3600_000, 3), event('e1', 0, 2)]);
      await writer.flush();
      return [first, second];
    });
    const rows = await store.db.selectFrom('usage_daily').selectAll().execute();

    expect(results[0]).toEqual({ inserted: 1, duplicates: 0 });
    expect(results[1]).toEqual({ inserted: 1, duplicates: 1 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ count: 5, events: 2 });
  });

  it('writes rollups at the key limit', async () => {
    const written = await store.db.transaction().execute(async (trx) => {
      const writer = new UsageWriter({ ...store, db: trx }, 2);
      await writer.insert([event('e1', 0, 1)]);
      const belowLimit = await trx.selectFrom('usage_daily').selectAll().execute();
      await writer.insert([event('e2', day, 1)]);
      const atLimit = await trx.selectFrom('usage_daily').selectAll().execute();
      return { belowLimit: belowLimit.length, atLimit: atLimit.length };
    });

    expect(written.belowLimit).toBe(0);
    expect(written.atLimit).toBe(2);
  });

  it('rolls back with its transaction', async () => {
    const failed = store.db.transaction().execute(async (trx) => {
      const writer = new UsageWriter({ ...store, db: trx });
      await writer.insert([event('e1', 0, 1)]);
      await writer.flush();
      throw new Error('file failed');
    });

    await expect(failed).rejects.toThrow('file failed');
    expect(await store.db.selectFrom('usage_events').selectAll().execute()).toHaveLength(0);
    expect(await store.db.selectFrom('usage_daily').selectAll().execute()).toHaveLength(0);
  });

  it('writes again after a rollback', async () => {
    const failed = store.db.transaction().execute(async (trx) => {
      await new UsageWriter({ ...store, db: trx }).insert([event('e1', 0, 1)]);
      throw new Error('file failed');
    });
    await expect(failed).rejects.toThrow('file failed');
    const result = await insertUsageEvents(store, [event('e1', 0, 3)]);
    const rows = await store.db.selectFrom('usage_daily').selectAll().execute();

    expect(result).toEqual({ inserted: 1, duplicates: 0 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ count: 3, events: 1 });
  });

  it('rolls up many events of one key', async () => {
    const events = Array.from({ length: 120 }, (_, i) => event(`e${i}`, i * 1000, 1 + (i % 3)));
    await store.db.transaction().execute(async (trx) => {
      const writer = new UsageWriter({ ...store, db: trx });
      await writer.insert(events.slice(0, 70));
      await writer.insert(events.slice(50));
      await writer.flush();
    });
    const rows = await store.db.selectFrom('usage_daily').selectAll().execute();

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ count: 240, events: 120 });
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/database';
import {
  completeMilestones,
  insertFeedback,
  insertUsageEvents,
  markGoalsMet,
  upsertAccounts,
  upsertContracts,
  upsertMilestones,
  upsertUsers,
  renumberTerms,
  setTermOutcomes,
} from '../../src/store/ingest';
import type { NewUsageEvent } from '../../src/store/schema';

const day = 86_400_000;
const t0 = Date.UTC(2026, 0, 5, 9);

async function freshStore(): Promise<Store> {
  const store = await openStore(join(mkdtempSync(join(tmpdir(), 'uptake-ingest-')), 'u.sqlite'));
  await upsertAccounts(store, [{ id: 'a1', name: 'Acme', created_at: t0, updated_at: t0 }]);
  return store;
}

function event(id: string, offsetMs: number, count = 1, featureKey = 'reports'): NewUsageEvent {
  return {
    event_id: id,
    account_id: 'a1',
    user_id: 'u1',
    feature_key: featureKey,
    occurred_at: t0 + offsetMs,
    count,
  };
}

describe('insertUsageEvents', () => {
  let store: Store;
  beforeEach(async () => {
    store = await freshStore();
  });
  afterEach(async () => {
    await store.close();
  });

  it('rolls events up per day', async () => {
    await insertUsageEvents(store, [event('e1', 0, 2), event('e2', 3600_000, 3), event('e3', day)]);
    const rows = await store.db.selectFrom('usage_daily').selectAll().orderBy('day').execute();

    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ count: 5, events: 2, user_id: 'u1', feature_key: 'reports' });
    expect(rows[1]).toMatchObject({ count: 1, events: 1 });
  });

  it('counts duplicates within a batch', async () => {
    const result = await insertUsageEvents(store, [event('e1', 0, 2), event('e1', 0, 2)]);

    expect(result).toEqual({ inserted: 1, duplicates: 1 });
  });

  it('keeps the first of repeated ids', async () => {
    await insertUsageEvents(store, [event('e1', 0, 2), event('e2', 0, 1)]);
    const again = await insertUsageEvents(store, [
      event('e3', 0, 4),
      event('e2', 0, 9),
      event('e3', day, 5),
    ]);
    const stored = await store.db
      .selectFrom('usage_events')
      .selectAll()
      .orderBy('event_id')
      .execute();
    const rollups = await store.db.selectFrom('usage_daily').selectAll().execute();

    expect(again).toEqual({ inserted: 1, duplicates: 2 });
    expect(stored.map((row) => [row.event_id, row.count])).toEqual([
      ['e1', 2],
      ['e2', 1],
      ['e3', 4],
    ]);
    expect(rollups).toHaveLength(1);
    expect(rollups[0]).toMatchObject({ count: 7, events: 3 });
  });

  it('ignores a re-sent event', async () => {
    await insertUsageEvents(store, [event('e1', 0, 2), event('e2', 0, 1)]);
    const again = await insertUsageEvents(store, [event('e2', 0, 1), event('e3', 0, 4)]);
    const rollup = await store.db.selectFrom('usage_daily').selectAll().executeTakeFirstOrThrow();
    const stored = await store.db.selectFrom('usage_events').select('event_id').execute();

    expect(again).toEqual({ inserted: 1, duplicates: 1 });
    expect(rollup.count).toBe(7);
    expect(rollup.events).toBe(3);
    expect(stored).toHaveLength(3);
  });

  it('keys logins and account-level events by empty strings', async () => {
    await insertUsageEvents(store, [
      { event_id: 'l1', account_id: 'a1', user_id: null, feature_key: null, occurred_at: t0 },
    ]);
    const rollup = await store.db.selectFrom('usage_daily').selectAll().executeTakeFirstOrThrow();

    expect(rollup.user_id).toBe('');
    expect(rollup.feature_key).toBe('');
    expect(rollup.count).toBe(1);
  });

  it('portable path dedupes and rolls up', async () => {
    // Without the better-sqlite3 handle the events go through Kysely only, as on PostgreSQL.
    const portable = { ...store, sqlite: undefined } as unknown as Store;
    await insertUsageEvents(portable, [event('p1', 0, 2), event('p2', 0, 3)]);
    const again = await insertUsageEvents(portable, [event('p2', 0, 3), event('p3', day, 1)]);
    const rollups = await store.db.selectFrom('usage_daily').selectAll().orderBy('day').execute();

    expect(again).toEqual({ inserted: 1, duplicates: 1 });
    expect(rollups.map((row) => [row.count, row.events])).toEqual([
      [5, 2],
      [1, 1],
    ]);
  });

  it('skips a stored id deep in a large batch', async () => {
    await insertUsageEvents(store, [event('m170', 0, 5)]);
    const events = Array.from({ length: 240 }, (_, i) => event(`m${i}`, 0, 1));
    const result = await insertUsageEvents(store, events);
    const rollup = await store.db.selectFrom('usage_daily').selectAll().executeTakeFirstOrThrow();
    const stored = await store.db.selectFrom('usage_events').select('event_id').execute();

    expect(result).toEqual({ inserted: 239, duplicates: 1 });
    expect(rollup.count).toBe(5 + 239);
    expect(rollup.events).toBe(240);
    expect(stored).toHaveLength(240);
  });

  it('splits large batches into statements', async () => {
    const events = Array.from({ length: 5_001 }, (_, i) => event(`b${i}`, (i % 3) * day));
    const result = await insertUsageEvents(store, events);
    const rollups = await store.db.selectFrom('usage_daily').select(['count']).execute();

    expect(result.inserted).toBe(5_001);
    expect(rollups.reduce((sum, row) => sum + row.count, 0)).toBe(5_001);
  });
});

describe('upserts', () => {
  let store: Store;
  beforeEach(async () => {
    store = await freshStore();
  });
  afterEach(async () => {
    await store.close();
  });

  it('keeps the stage of an existing account', async () => {
    await store.db.updateTable('accounts').set({ stage: 'adoption' }).execute();
    await upsertAccounts(store, [{ id: 'a1', name: 'Acme 2', created_at: t0, updated_at: t0 }]);
    const account = await store.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();

    expect(account.stage).toBe('adoption');
    expect(account.name).toBe('Acme 2');
  });

  it('never resubscribes a user', async () => {
    const user = { id: 'u1', account_id: 'a1', role: 'admin', created_at: t0, updated_at: t0 };
    await upsertUsers(store, [user]);
    await store.db.updateTable('users').set({ subscribed: 0 }).execute();
    await upsertUsers(store, [{ ...user, subscribed: 1 }]);
    const stored = await store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();

    expect(stored.subscribed).toBe(0);
  });

  it('keeps the earliest milestone completion', async () => {
    await upsertMilestones(store, [{ account_id: 'a1', key: 'setup', name: 'Setup', due_at: t0 }]);
    await completeMilestones(store, [{ account_id: 'a1', key: 'setup', completed_at: t0 + day }]);
    await completeMilestones(store, [
      { account_id: 'a1', key: 'setup', completed_at: t0 + 3 * day },
      { account_id: 'a1', key: 'setup', completed_at: t0 + 2 * day },
    ]);
    await upsertMilestones(store, [{ account_id: 'a1', key: 'setup', name: 'Set up', due_at: t0 }]);
    const row = await store.db.selectFrom('milestones').selectAll().executeTakeFirstOrThrow();

    expect(row.completed_at).toBe(t0 + day);
    expect(row.name).toBe('Set up');
  });

  it('creates a goal when marked met', async () => {
    await markGoalsMet(store, [{ account_id: 'a1', key: 'first-report', met_at: t0 }]);
    const row = await store.db.selectFrom('goals').selectAll().executeTakeFirstOrThrow();

    expect(row.met_at).toBe(t0);
    expect(row.name).toBe('first-report');
  });

  it('numbers terms by start time', async () => {
    const base = { account_id: 'a1', term_number: 0, renewal_at: t0, updated_at: t0 };
    await upsertContracts(store, [
      { ...base, id: 'c-late', start_at: t0 + day },
      { ...base, id: 'c-early', start_at: t0 },
    ]);
    await renumberTerms(store, ['a1']);
    const rows = await store.db.selectFrom('contracts').selectAll().orderBy('id').execute();

    expect(rows.map((row) => [row.id, row.term_number])).toEqual([
      ['c-early', 1],
      ['c-late', 2],
    ]);
  });

  it('sets a term outcome', async () => {
    const base = { account_id: 'a1', term_number: 1, start_at: t0, renewal_at: t0 + day };
    await upsertContracts(store, [{ ...base, id: 'c1', updated_at: t0 }]);
    const updated = await setTermOutcomes(store, [
      { contract_id: 'c1', outcome: 'churned', outcome_at: t0 },
      { contract_id: 'missing', outcome: 'churned', outcome_at: t0 },
    ]);
    const row = await store.db.selectFrom('contracts').selectAll().executeTakeFirstOrThrow();

    expect(updated).toBe(1);
    expect(row.outcome).toBe('churned');
    expect(row.status).toBe('ended');
  });

  it('inserts feedback once', async () => {
    const feedback = {
      id: 'f1',
      account_id: 'a1',
      kind: 'idea' as const,
      body: 'x',
      created_at: t0,
    };
    await insertFeedback(store, [feedback]);
    const again = await insertFeedback(store, [feedback]);

    expect(again).toEqual({ inserted: 0, duplicates: 1 });
  });
});

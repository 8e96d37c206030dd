import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeSpecs } from '../../src/import/merge-specs';
import { openStore, type Store } from '../../src/store/database';
import { mergeImported } from '../../src/store/ingest-merge';

async function storeWithAccount(): Promise<Store> {
  const store = await openStore(join(mkdtempSync(join(tmpdir(), 'uptake-merge-')), 'm.sqlite'));
  const specs = mergeSpecs(100);
  await mergeImported(store, specs.accounts, [
    { id: 'a1', name: 'Acme', created_at: 50, attributes: '{"industry":"retail","size":"10"}' },
  ]);
  return store;
}

describe('mergeImported', () => {
  it('composite key keeps columns left out', async () => {
    const store = await storeWithAccount();
    const specs = mergeSpecs(100);
    await mergeImported(store, specs.milestones, [{ account_id: 'a1', key: 'm1', due_at: 7 }]);
    const counts = await mergeImported(store, specs.milestones, [
      { account_id: 'a1', key: 'm1', name: 'Kick-off' },
    ]);
    const row = await store.db.selectFrom('milestones').selectAll().executeTakeFirstOrThrow();
    await store.close();

    expect(counts).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect(row.due_at).toBe(7);
    expect(row.name).toBe('Kick-off');
  });

  it('attributes merge by name', async () => {
    const store = await storeWithAccount();
    await mergeImported(store, mergeSpecs(200).accounts, [
      { id: 'a1', attributes: '{"industry":"media","size":null}' },
    ]);
    const row = await store.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    await store.close();

    expect(row.attributes).toBe('{"industry":"media"}');
    expect(row.updated_at).toBe(200);
  });

  it('created_at of a stored account stays', async () => {
    const store = await storeWithAccount();
    const counts = await mergeImported(store, mergeSpecs(200).accounts, [
      { id: 'a1', created_at: 999 },
    ]);
    const row = await store.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    await store.close();

    expect(counts).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    expect(row.created_at).toBe(50);
    expect(row.updated_at).toBe(100);
  });

  it('items of one key in a batch combine', async () => {
    const store = await storeWithAccount();
    const counts = await mergeImported(store, mergeSpecs(100).features, [
      { key: 'f1', name: 'Reports' },
      { key: 'f1', is_key: 1 },
    ]);
    const row = await store.db.selectFrom('features').selectAll().executeTakeFirstOrThrow();
    await store.close();

    expect(counts).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(row.name).toBe('Reports');
    expect(row.is_key).toBe(1);
  });
});

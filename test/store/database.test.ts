import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/database';

describe('openStore', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'uptake-store-')), 'uptake.sqlite');

  it('creates a WAL store with the domain tables', async () => {
    const store = await openStore(path);
    const tables = await store.db.introspection.getTables();
    const mode = store.sqlite.pragma('journal_mode', { simple: true });
    await store.close();

    expect(mode).toBe('wal');
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining([
        'accounts',
        'contracts',
        'features',
        'feedback',
        'goals',
        'milestones',
        'tickets',
        'usage_daily',
        'usage_events',
        'users',
      ]),
    );
  });

  it('reopens without running migrations twice', async () => {
    const store = await openStore(path);
    const count = await store.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    await store.close();

    expect(Number(count.n)).toBe(0);
  });
});

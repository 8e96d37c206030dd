import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importPath } from '../../src/import/importer';
import { parseMapping } from '../../src/import/mapping';
import { setUp } from './fixtures';

const full = parseMapping({
  files: [
    {
      file: 'accounts.csv',
      entities: [
        {
          entity: 'account',
          fields: {
            id: 'id',
            name: 'name',
            plan: 'plan',
            csmOwner: 'csm',
            timezone: 'tz',
            'attributes.industry': 'industry',
          },
        },
        {
          entity: 'user',
          fields: { id: 'user', accountId: 'id', name: 'user_name', role: 'role' },
        },
      ],
    },
  ],
});

const narrow = parseMapping({
  files: [
    {
      file: 'accounts.csv',
      entities: [
        { entity: 'account', fields: { id: 'id', timezone: 'tz' } },
        { entity: 'user', fields: { id: 'user', accountId: 'id' } },
      ],
    },
  ],
});

const accountsCsv =
  'id,name,plan,csm,tz,industry,user,user_name,role\n' +
  'acct-001,Acme,starter,csm-ana,Europe/Berlin,retail,u1,Ana,admin\n';

async function importTwice(second: typeof full, secondNow = 2_000) {
  const { folder, store } = await setUp({ 'accounts.csv': accountsCsv });
  const path = join(folder, 'accounts.csv');
  const first = await importPath(store, path, full, { now: 1_000 });
  const again = await importPath(store, path, second, { now: secondNow });
  const account = await store.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
  const user = await store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
  await store.close();
  return { first, again, account, user };
}

describe('re-import with a smaller mapping', () => {
  it('keeps account fields it leaves out', async () => {
    const { account } = await importTwice(narrow);
    expect(account.name).toBe('Acme');
    expect(account.plan).toBe('starter');
    expect(account.csm_owner).toBe('csm-ana');
    expect(account.attributes).toBe('{"industry":"retail"}');
  });

  it('keeps user name and role', async () => {
    const { user } = await importTwice(narrow);
    expect(user.name).toBe('Ana');
    expect(user.role).toBe('admin');
  });
});

describe('defaults of a new row', () => {
  it('role user and name from id', async () => {
    const { folder, store } = await setUp({ 'accounts.csv': accountsCsv });
    await importPath(store, join(folder, 'accounts.csv'), narrow, { now: 1_000 });
    const account = await store.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    const user = await store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    await store.close();

    expect(account.name).toBe('acct-001');
    expect(account.attributes).toBe('{}');
    expect(user.role).toBe('user');
  });
});

describe('re-import counts', () => {
  it('first import inserts', async () => {
    const { first } = await importTwice(full);
    expect(first.changes.account).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(first.changes.user).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
  });

  it('same rows are unchanged', async () => {
    const { again } = await importTwice(full);
    expect(again.changes.account).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    expect(again.changes.user).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
  });

  it('unchanged rows keep updated_at', async () => {
    const { account, user } = await importTwice(full);
    expect(account.updated_at).toBe(1_000);
    expect(user.updated_at).toBe(1_000);
  });

  it('a changed field updates', async () => {
    const { folder, store } = await setUp({ 'accounts.csv': accountsCsv });
    const path = join(folder, 'accounts.csv');
    await importPath(store, path, full, { now: 1_000 });
    writeFileSync(path, accountsCsv.replace('starter', 'growth'));
    const again = await importPath(store, path, full, { now: 2_000 });
    const account = await store.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    await store.close();

    expect(again.changes.account).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect(account.plan).toBe('growth');
    expect(account.updated_at).toBe(2_000);
  });
});

describe('contract outcomes', () => {
  it('an empty outcome keeps the stored one', async () => {
    const { folder, store } = await setUp({
      'contracts.csv': 'id,account,start,end,outcome\nc1,a1,2024-01-01,2025-01-01,churned\n',
    });
    const contracts = parseMapping({
      files: [
        {
          file: 'contracts.csv',
          entities: [
            { entity: 'account', fields: { id: 'account' } },
            {
              entity: 'contract',
              fields: {
                id: 'id',
                accountId: 'account',
                startAt: 'start',
                renewalAt: 'end',
                outcome: 'outcome',
                outcomeAt: 'end',
              },
            },
          ],
        },
      ],
    });
    const path = join(folder, 'contracts.csv');
    await importPath(store, path, contracts, { now: 1_000 });
    writeFileSync(path, 'id,account,start,end,outcome\nc1,a1,2024-01-01,2025-01-01,\n');
    const again = await importPath(store, path, contracts, { now: 2_000 });
    const contract = await store.db.selectFrom('contracts').selectAll().executeTakeFirstOrThrow();
    await store.close();

    expect(contract.outcome).toBe('churned');
    expect(contract.status).toBe('ended');
    expect(again.changes.contract).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
  });
});

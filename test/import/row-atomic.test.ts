import { join } from 'node:path';
import { importPath } from '../../src/import/importer';
import { parseMapping } from '../../src/import/mapping';
import { setUp } from './fixtures';

const mapping = parseMapping({
  files: [
    {
      file: 'contracts.csv',
      entities: [
        {
          entity: 'contract',
          fields: { id: 'id', accountId: 'account', startAt: 'start', renewalAt: 'end' },
        },
      ],
    },
    {
      file: 'churn.csv',
      entities: [
        { entity: 'account', fields: { id: 'account' } },
        { entity: 'termOutcome', fields: { accountId: 'account', outcome: 'kind', at: 'at' } },
        {
          entity: 'feedback',
          fields: { id: 'id', accountId: 'account', kind: 'fb', body: 'text', createdAt: 'at' },
        },
      ],
    },
  ],
});

const churnCsv =
  'id,account,kind,at,fb,text\n' +
  'f1,a1,churned,2024-06-01,problem,too slow\n' +
  'f2,a1,churned,2023-01-01,idea,add export\n' +
  'f3,b9,churned,2024-06-01,idea,new account\n';

async function importChurn() {
  const { folder, store } = await setUp({
    'contracts.csv': 'id,account,start,end\n',
    'churn.csv': churnCsv,
  });
  await store.db
    .insertInto('accounts')
    .values({ id: 'a1', name: 'A', created_at: 0, updated_at: 0 } as never)
    .execute();
  await store.db
    .insertInto('contracts')
    .values({
      id: 'c1',
      account_id: 'a1',
      term_number: 1,
      start_at: Date.UTC(2024, 0, 1),
      renewal_at: Date.UTC(2025, 0, 1),
      updated_at: 0,
    } as never)
    .execute();
  const report = await importPath(store, join(folder, 'churn.csv'), mapping, { now: 0 });
  const feedback = await store.db.selectFrom('feedback').select('id').orderBy('id').execute();
  const accounts = await store.db.selectFrom('accounts').select('id').orderBy('id').execute();
  await store.close();
  return { report, feedback, accounts };
}

describe('a row is stored whole or not at all', () => {
  it('feedback of a rejected outcome row is left out', async () => {
    const { feedback } = await importChurn();
    expect(feedback.map((row) => row.id)).toEqual(['f1']);
  });

  it('account of a rejected outcome row is left out', async () => {
    const { accounts } = await importChurn();
    expect(accounts.map((row) => row.id)).toEqual(['a1']);
  });

  it('rejection names the entity and column', async () => {
    const { report } = await importChurn();
    expect(report.rejections.map((rejection) => rejection.line)).toEqual([3, 4]);
    expect(report.rejections[0]?.column).toBe('at');
    expect(report.rejections[0]?.reason).toMatch(/^termOutcome: no contract of account "a1"/);
    expect(report.rejections[1]?.reason).toMatch(/^termOutcome: no contract of account "b9"/);
  });
});

describe('rows that refer to a rejected row', () => {
  it('are rejected too', async () => {
    const { folder, store } = await setUp({
      'churn.csv':
        'id,account,kind,at,fb,text\n' +
        'f1,b9,churned,2024-06-01,idea,no contract\n' +
        'f2,b9,,2024-06-01,idea,later row\n',
    });
    const twoEntities = parseMapping({
      files: [
        {
          file: 'churn.csv',
          entities: [
            { entity: 'account', fields: { id: 'account' }, when: 'kind' },
            {
              entity: 'termOutcome',
              fields: { accountId: 'account', outcome: 'kind', at: 'at' },
              when: 'kind',
            },
            {
              entity: 'feedback',
              fields: { id: 'id', accountId: 'account', kind: 'fb', body: 'text', createdAt: 'at' },
            },
          ],
        },
      ],
    });
    const report = await importPath(store, join(folder, 'churn.csv'), twoEntities, { now: 0 });
    const feedback = await store.db.selectFrom('feedback').select('id').execute();
    await store.close();

    expect(report.rejections.map((rejection) => rejection.line)).toEqual([2, 3]);
    expect(report.rejections[1]?.reason).toMatch(/unknown account "b9": the row that adds it/);
    expect(feedback).toEqual([]);
  });
});

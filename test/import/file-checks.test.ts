import { importPath } from '../../src/import/importer';
import { parseMapping } from '../../src/import/mapping';
import { accountsCsv, countRows, run, setUp } from './fixtures';

const eventsHeader = 'id,account,feature,at,clicks\n';

describe('whole-file checks', () => {
  it('empty CSV fails', async () => {
    const { folder, store } = await setUp({ 'accounts.csv': '' });
    const report = await run(store, folder, 'accounts.csv');
    await store.close();

    expect(report.files[0]?.status).toBe('failed');
    expect(report.files[0]?.error).toMatch(
      /no header line in accounts\.csv; the mapping expects columns id, name, created/,
    );
  });

  it('repeated header column fails', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': 'id,name,created,name\na1,Acme,2024-01-01,Other\n',
    });
    const report = await run(store, folder, 'accounts.csv');
    const accounts = await countRows(store, 'accounts');
    await store.close();

    expect(report.files[0]?.status).toBe('failed');
    expect(report.files[0]?.error).toMatch(/column "name" appears twice in the header/);
    expect(accounts).toBe(0);
  });
});

describe('row checks', () => {
  it('too many fields names a column', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.csv': `${eventsHeader}e1,a1,reports,2024-03-01,1,extra\n`,
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.csv');
    await store.close();

    expect(report.rejections[0]?.column).toBe('6');
    expect(report.rejections[0]?.reason).toMatch(/too many fields: the row has 6, the header 5/);
  });

  it('NDJSON object where a string is mapped', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.ndjson':
        '{"id":"e1","account":"a1","feature":{"x":1},"at":"2024-03-01","clicks":1}\n' +
        '{"id":"e2","account":"a1","feature":["a"],"at":"2024-03-01","clicks":1}\n',
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.ndjson');
    const events = await countRows(store, 'usage_events');
    await store.close();

    expect(report.rejections[0]?.column).toBe('feature');
    expect(report.rejections[0]?.reason).toMatch(/"feature" is an object; expected a string/);
    expect(report.rejections[1]?.reason).toMatch(/"feature" is an array/);
    expect(events).toBe(0);
  });

  it('repeated ticket id', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'tickets.csv': 'id,account,opened\nt1,a1,2024-01-01\nt2,a1,2024-01-02\nt1,a2,2024-01-03\n',
    });
    const mapping = parseMapping({
      files: [
        { file: 'accounts.csv', entities: [{ entity: 'account', fields: { id: 'id' } }] },
        {
          file: 'tickets.csv',
          entities: [
            { entity: 'ticket', fields: { id: 'id', accountId: 'account', openedAt: 'opened' } },
          ],
        },
      ],
    });
    const report = await importPath(store, folder, mapping, { now: 0 });
    const ticket = await store.db
      .selectFrom('tickets')
      .select('account_id')
      .where('id', '=', 't1')
      .executeTakeFirstOrThrow();
    await store.close();

    expect(report.rejections[0]?.file).toBe('tickets.csv');
    expect(report.rejections[0]?.line).toBe(4);
    expect(report.rejections[0]?.column).toBe('id');
    expect(report.rejections[0]?.reason).toMatch(/duplicate id "t1", first on line 2/);
    expect(ticket.account_id).toBe('a1');
  });
});

describe('every rejection names a column', () => {
  it('NDJSON line that is not an object', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.ndjson': '[1]\n',
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.ndjson');
    await store.close();

    expect(report.rejections[0]?.column).toBe('$');
  });
});

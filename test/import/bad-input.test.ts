import { accountsCsv, countRows, run, setUp } from './fixtures';

const eventsHeader = 'id,account,feature,at,clicks\n';

describe('rejected rows', () => {
  it('bad date', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.csv': `${eventsHeader}e1,a1,reports,2024-02-30,3\ne2,a1,reports,2024-03-01,3\n`,
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.csv');
    const events = await countRows(store, 'usage_events');
    await store.close();

    expect(report.rejections).toHaveLength(1);
    expect(report.rejections[0]?.file).toBe('events.csv');
    expect(report.rejections[0]?.line).toBe(2);
    expect(report.rejections[0]?.column).toBe('at');
    expect(report.rejections[0]?.reason).toMatch(/invalid date "2024-02-30"/);
    expect(events).toBe(1);
  });

  it('unknown account', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.csv': `${eventsHeader}e1,a1,reports,2024-03-01,1\ne2,zz,reports,2024-03-01,1\n`,
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.csv');
    const events = await countRows(store, 'usage_events');
    await store.close();

    expect(report.rejections[0]?.line).toBe(3);
    expect(report.rejections[0]?.column).toBe('account');
    expect(report.rejections[0]?.reason).toBe('unknown account "zz"');
    expect(events).toBe(1);
  });

  it('negative count', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.csv': `${eventsHeader}e1,a1,reports,2024-03-01,-4\n`,
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.csv');
    await store.close();

    expect(report.rejections[0]?.line).toBe(2);
    expect(report.rejections[0]?.column).toBe('clicks');
    expect(report.rejections[0]?.reason).toMatch(/count: -4 is below the minimum of 1/);
  });

  it('out-of-range counts', async () => {
    const counts = ['99999999999999999999', '1000001', '0', '2.5'];
    const rows = counts.map((clicks, i) => `e${i},a1,reports,2024-03-01,${clicks}`).join('\n');
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.csv': `${eventsHeader}${rows}\ne9,a1,reports,2024-03-01,1000000\n`,
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.csv');
    const stored = await store.db.selectFrom('usage_events').select('count').execute();
    await store.close();

    expect(report.rejections.map((rejection) => rejection.line)).toEqual([2, 3, 4, 5]);
    expect(report.rejections.every((rejection) => rejection.file === 'events.csv')).toBe(true);
    expect(report.rejections.every((rejection) => rejection.column === 'clicks')).toBe(true);
    expect(report.rejections[0]?.reason).toMatch(/invalid integer "99999999999999999999"/);
    expect(report.rejections[1]?.reason).toMatch(/above the maximum of 1000000/);
    expect(report.rejections[2]?.reason).toMatch(/below the minimum of 1/);
    expect(report.rejections[3]?.reason).toMatch(/invalid integer "2.5"/);
    expect(stored).toEqual([{ count: 1_000_000 }]);
  });

  it('row with missing columns', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.csv': `${eventsHeader}e1,a1,reports\ne2,a2,reports,2024-03-01,2\n`,
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.csv');
    const events = await countRows(store, 'usage_events');
    await store.close();

    expect(report.rejections[0]?.line).toBe(2);
    expect(report.rejections[0]?.column).toBe('at');
    expect(report.rejections[0]?.reason).toMatch(
      /missing columns: the row has 3 fields, the header 5/,
    );
    expect(events).toBe(1);
  });

  it('bad boolean', async () => {
    const { folder, store } = await setUp({
      'features.csv': 'key,key_feature\nreports,TRUE\nexport,maybe\n',
    });
    const report = await run(store, folder, 'features.csv');
    const features = await countRows(store, 'features');
    await store.close();

    expect(report.rejections[0]?.line).toBe(3);
    expect(report.rejections[0]?.column).toBe('key_feature');
    expect(report.rejections[0]?.reason).toMatch(/invalid boolean "maybe"/);
    expect(features).toBe(1);
  });

  it('missing value of a required field', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': 'id,name,created\n,Nameless,2024-01-01\n',
    });
    const report = await run(store, folder, 'accounts.csv');
    await store.close();

    expect(report.rejections[0]?.line).toBe(2);
    expect(report.rejections[0]?.column).toBe('id');
    expect(report.rejections[0]?.reason).toBe('account.id: missing value');
  });
});

describe('accepted quirks', () => {
  it('byte order mark', async () => {
    const { folder, store } = await setUp({ 'accounts.csv': `\uFEFF${accountsCsv}` });
    const report = await run(store, folder, 'accounts.csv');
    const accounts = await countRows(store, 'accounts');
    await store.close();

    expect(report.rejected).toBe(0);
    expect(accounts).toBe(2);
  });

  it('CRLF line ends', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv.replace(/\n/g, '\r\n'),
      'events.csv':
        `${eventsHeader}e1,a1,reports,2024-03-01,2\r\ne2,zz,reports,2024-03-01,2\r\n`.replace(
          /(?<!\r)\n/g,
          '\r\n',
        ),
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.csv');
    const stored = await store.db.selectFrom('usage_events').selectAll().execute();
    await store.close();

    expect(stored).toHaveLength(1);
    expect(stored[0]?.count).toBe(2);
    expect(report.rejections[0]?.line).toBe(3);
  });

  it('quoted newline', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': 'id,name,created\na1,"Acme\nHoldings",2024-01-01\na2,Globex,2024-02-30\n',
    });
    const report = await run(store, folder, 'accounts.csv');
    await store.close();

    // A name on two lines is rejected, since it would split an email header. The second
    // record starts on line 4, after the two physical lines of the first.
    expect(report.rejections.map((rejection) => rejection.line)).toEqual([2, 4]);
  });

  it('quoted CRLF', async () => {
    const { folder, store } = await setUp({
      'accounts.csv':
        'id,name,created\r\na1,"Acme\r\nInc",2024-01-01\r\na2,"B\r\nC\r\nD",2024-01-01\r\na3,Beta,bad1\r\n',
    });
    const report = await run(store, folder, 'accounts.csv');
    await store.close();

    // The third record starts on line 7, after two records of two and three physical lines.
    expect(report.rejections.map((rejection) => rejection.line)).toEqual([2, 4, 7]);
  });

  it('mixed boolean spellings', async () => {
    const spellings = ['TRUE', 'FALSE', 'True', 'False', 'true', '1', '0', 'yes', 'no'];
    const rows = spellings.map((spelling, index) => `f${index},${spelling}`).join('\n');
    const { folder, store } = await setUp({ 'features.csv': `key,key_feature\n${rows}\n` });
    const report = await run(store, folder, 'features.csv');
    const stored = await store.db
      .selectFrom('features')
      .select(['key', 'is_key'])
      .orderBy('key')
      .execute();
    await store.close();

    expect(report.rejected).toBe(0);
    expect(stored.map((row) => row.is_key)).toEqual([1, 0, 1, 0, 1, 1, 0, 1, 0]);
  });

  it('NDJSON events', async () => {
    const lines = [
      '{"id":"n1","account":"a1","feature":"reports","at":"2024-03-01T10:00:00Z","clicks":2}',
      '',
      '{"id":"n2","account":"a1","feature":"reports","at":"2024-03-01","clicks":-1}',
    ];
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.ndjson': lines.join('\r\n'),
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.ndjson');
    await store.close();

    expect(report.eventsInserted).toBe(1);
    expect(report.rejections[0]?.line).toBe(3);
    expect(report.rejections[0]?.column).toBe('clicks');
  });
});

describe('whole files', () => {
  it('unparseable file changes nothing', async () => {
    const good = Array.from({ length: 30 }, (_, i) => `e${i},a1,reports,2024-03-01,1`).join('\n');
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.csv': `${eventsHeader}${good}\ne99,a1,"reports"x,2024-03-01,1\n`,
    });
    await run(store, folder, 'accounts.csv');
    // A batch size of 5 writes several batches before the broken line is reached.
    const report = await run(store, folder, 'events.csv', { batchSize: 5 });
    const events = await countRows(store, 'usage_events');
    const rollups = await countRows(store, 'usage_daily');
    await store.close();

    expect(report.files[0]?.status).toBe('failed');
    expect(report.files[0]?.error).toMatch(/events\.csv:32/);
    expect(events).toBe(0);
    expect(rollups).toBe(0);
  });

  it('oversized CSV record fails the file', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': `${accountsCsv}a3,"${'x'.repeat(5000)}",2024-01-01\na4,Beta,2024-01-01\n`,
    });
    const report = await run(store, folder, 'accounts.csv', { maxRecordBytes: 1000 });
    const accounts = await countRows(store, 'accounts');
    await store.close();

    expect(report.files[0]?.status).toBe('failed');
    expect(report.files[0]?.error).toMatch(/accounts\.csv:4: .*larger than the maximum of 1000/);
    expect(accounts).toBe(0);
  });

  it('oversized NDJSON line fails the file', async () => {
    const good = '{"id":"n1","account":"a1","feature":"f","at":"2024-03-01","clicks":2}';
    const huge = `{"id":"n2","account":"${'x'.repeat(70_000)}"}`;
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.ndjson': `${good}\r\n${huge}\r\n${good}\n`,
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.ndjson', { maxRecordBytes: 1000 });
    const events = await countRows(store, 'usage_events');
    await store.close();

    expect(report.files[0]?.status).toBe('failed');
    expect(report.files[0]?.error).toMatch(/events\.ndjson:2: .*larger than the maximum of 1000/);
    expect(events).toBe(0);
  });

  it('missing mapped column fails the file', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.csv': 'id,account,feature,at\ne1,a1,reports,2024-03-01\n',
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.csv');
    await store.close();

    expect(report.files[0]?.status).toBe('failed');
    expect(report.files[0]?.error).toMatch(
      /missing column "clicks".*\$\.files\[2\]\.entities\[0\]\.fields\.count/,
    );
  });

  it('re-import adds nothing', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'features.csv': 'key,key_feature\nreports,yes\n',
      'events.csv': `${eventsHeader}e1,a1,reports,2024-03-01,2\ne2,a2,reports,2024-03-02,5\n`,
    });
    await run(store, folder);
    const before = await store.db.selectFrom('usage_daily').selectAll().orderBy('day').execute();
    const again = await run(store, folder);
    const after = await store.db.selectFrom('usage_daily').selectAll().orderBy('day').execute();
    const accounts = await countRows(store, 'accounts');
    await store.close();

    expect(again.eventsInserted).toBe(0);
    expect(again.eventsDuplicate).toBe(2);
    expect(after).toEqual(before);
    expect(accounts).toBe(2);
  });
});

import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ImportError, importPath } from '../../src/import/importer';
import { parseMapping } from '../../src/import/mapping';
import { parseInstantValue } from '../../src/import/values';
import { accountsCsv, countRows, run, setUp } from './fixtures';

describe('UTC offsets', () => {
  it.each(['+25:00', '+99:99', '-24:30', '+05:60'])('rejects %s', (offset) => {
    expect(parseInstantValue(`2024-05-02T10:00:00${offset}`)).toBeUndefined();
  });

  it('reads +23:59', () => {
    expect(parseInstantValue('2024-05-02T23:59:00+23:59')).toBe(Date.UTC(2024, 4, 2));
  });

  it('row with an impossible offset is rejected', async () => {
    const { folder, store } = await setUp({
      'accounts.csv': accountsCsv,
      'events.csv': 'id,account,feature,at,clicks\ne1,a1,reports,2024-05-02T10:00:00+25:00,1\n',
    });
    await run(store, folder, 'accounts.csv');
    const report = await run(store, folder, 'events.csv');
    const events = await countRows(store, 'usage_events');
    await store.close();

    expect(report.rejections[0]?.column).toBe('at');
    expect(report.rejections[0]?.reason).toMatch(/UTC offset from -23:59 to \+23:59/);
    expect(events).toBe(0);
  });
});

describe('instants out of Date range', () => {
  it('day offset beyond Date is rejected', async () => {
    const { folder, store } = await setUp({ 'events.csv': 'account,day\na1,99999999999\na1,3\n' });
    const mapping = parseMapping({
      anchors: { start: { date: '2024-01-01' } },
      files: [
        {
          file: 'events.csv',
          entities: [
            { entity: 'account', fields: { id: 'account' } },
            {
              entity: 'usageEvent',
              fields: { accountId: 'account', occurredAt: { dayOffset: 'day', anchor: 'start' } },
            },
          ],
        },
      ],
    });
    const report = await importPath(store, folder, mapping, { now: 0 });
    const events = await countRows(store, 'usage_events');
    await store.close();

    expect(report.rejections[0]?.line).toBe(2);
    expect(report.rejections[0]?.column).toBe('day');
    expect(report.rejections[0]?.reason).toMatch(/is out of range/);
    expect(events).toBe(1);
  });
});

describe('shift days', () => {
  it('run with a shift beyond 36500 days fails', async () => {
    const { folder, store } = await setUp({ 'accounts.csv': accountsCsv });
    const attempt = run(store, folder, 'accounts.csv', { shiftDays: -99_999_999_999 });
    await expect(attempt).rejects.toThrow(ImportError);
    await expect(attempt).rejects.toThrow(/from -36500 to 36500/);
    const accounts = await countRows(store, 'accounts');
    await store.close();
    expect(accounts).toBe(0);
  });

  it('CLI rejects --shift-days -99999999999', () => {
    const root = resolve(__dirname, '../..');
    const result = spawnSync(
      process.execPath,
      [
        join(root, 'bin/uptake.js'),
        'import',
        root,
        '--mapping',
        'none.json',
        '--shift-days',
        '-99999999999',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--shift-days value "-99999999999".*from -36500 to 36500/);
  });

  it('--help states the bound', () => {
    const root = resolve(__dirname, '../..');
    const result = spawnSync(process.execPath, [join(root, 'bin/uptake.js'), 'import', '--help'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.stdout.replace(/\s+/g, ' ')).toMatch(/from -36500 to 36500/);
  });
});

import { importPath } from '../../src/import/importer';
import { parseMapping } from '../../src/import/mapping';
import type { ImportReport } from '../../src/import/report';
import { setUp } from './fixtures';

const mapping = parseMapping({
  files: [
    {
      file: 'accounts.csv',
      entities: [{ entity: 'account', fields: { id: 'id', timezone: 'tz' } }],
    },
    {
      file: 'users.csv',
      entities: [
        {
          entity: 'user',
          fields: { id: 'id', accountId: 'account', email: 'email', timezone: 'tz', name: 'name' },
        },
      ],
    },
    {
      file: 'tickets.csv',
      entities: [
        {
          entity: 'ticket',
          fields: {
            id: 'id',
            accountId: 'account',
            openedAt: 'opened',
            closedAt: 'closed',
            satisfaction: 'score',
          },
        },
      ],
    },
  ],
});

async function importFiles(files: Record<string, string>): Promise<ImportReport> {
  const { folder, store } = await setUp({
    'accounts.csv': 'id,tz\na1,Europe/Berlin\n',
    'users.csv': 'id,account,email,tz,name\n',
    'tickets.csv': 'id,account,opened,closed,score\n',
    ...files,
  });
  const report = await importPath(store, folder, mapping, { now: 0 });
  await store.close();
  return report;
}

describe('same rules as the HTTP API', () => {
  it('account timezone must be IANA', async () => {
    const report = await importFiles({ 'accounts.csv': 'id,tz\na1,UTC\na2,Mars/Olympus\n' });
    expect(report.rejections[0]?.file).toBe('accounts.csv');
    expect(report.rejections[0]?.line).toBe(3);
    expect(report.rejections[0]?.column).toBe('tz');
    expect(report.rejections[0]?.reason).toMatch(/"Mars\/Olympus"; expected an IANA time zone/);
    expect(report.changes.account?.inserted).toBe(1);
  });

  it('user timezone must be IANA', async () => {
    const report = await importFiles({
      'users.csv': 'id,account,email,tz,name\nu1,a1,,Mars/Olympus,\n',
    });
    expect(report.rejections[0]?.column).toBe('tz');
    expect(report.rejections[0]?.reason).toMatch(/^user\.timezone: invalid value/);
  });

  it('user email must be one address', async () => {
    const report = await importFiles({
      'users.csv':
        'id,account,email,tz,name\nu1,a1,bad-email,,\nu2,a1,"x@y.z, evil@attacker.example",,\n' +
        'u3,a1,ana@example.com,,\n',
    });
    expect(report.rejections.map((rejection) => rejection.line)).toEqual([2, 3]);
    expect(report.rejections[0]?.column).toBe('email');
    expect(report.rejections[1]?.reason).toMatch(/expected one email address/);
    expect(report.changes.user?.inserted).toBe(1);
  });

  describe('a user name with a line break', () => {
    let report: ImportReport;

    beforeEach(async () => {
      report = await importFiles({
        'users.csv': 'id,account,email,tz,name\nu1,a1,,,"Ana\r\nBcc: x@y.z"\nu2,a1,,,Bo\n',
      });
    });

    it('is rejected at its column', () => {
      expect(report.rejections[0]?.column).toBe('name');
    });

    it('names the rule', () => {
      expect(report.rejections[0]?.reason).toMatch(/expected text on one line/);
    });

    it('leaves the other rows', () => {
      expect(report.changes.user?.inserted).toBe(1);
    });
  });

  it('satisfaction 0 to 10', async () => {
    const report = await importFiles({
      'tickets.csv': 'id,account,opened,closed,score\nt1,a1,2024-01-01,,99\nt2,a1,2024-01-01,,10\n',
    });
    expect(report.rejections[0]?.line).toBe(2);
    expect(report.rejections[0]?.column).toBe('score');
    expect(report.rejections[0]?.reason).toMatch(/99 is above the maximum of 10/);
    expect(report.changes.ticket?.inserted).toBe(1);
  });

  it('ticket closed before opened', async () => {
    const report = await importFiles({
      'tickets.csv': 'id,account,opened,closed,score\nt1,a1,2024-02-01,2024-01-01,\n',
    });
    expect(report.rejections[0]?.column).toBe('closed');
    expect(report.rejections[0]?.reason).toMatch(/^ticket\.closedAt: closed at 2024-01-01/);
    expect(report.changes.ticket?.inserted).toBe(0);
  });
});

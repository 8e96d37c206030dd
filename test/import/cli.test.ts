import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

function uptake(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'bin/uptake.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeFolder(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'uptake-cli-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  return folder;
}

const mapping = JSON.stringify({
  files: [
    {
      file: 'accounts.csv',
      entities: [
        { entity: 'account', fields: { id: 'id' } },
        {
          entity: 'user',
          fields: { id: { template: '{id}-admin' }, accountId: 'id', role: { const: 'admin' } },
        },
      ],
    },
    {
      file: 'events.csv',
      entities: [{ entity: 'usageEvent', fields: { accountId: 'account', occurredAt: 'at' } }],
    },
  ],
});

describe('uptake import', () => {
  it('prints counts as JSON', () => {
    const folder = writeFolder({
      'mapping.json': mapping,
      'accounts.csv': 'id\na1\na2\n',
      'events.csv': 'account,at\na1,2024-03-01\na9,2024-03-01\n',
    });
    const result = uptake([
      'import',
      folder,
      '--mapping',
      join(folder, 'mapping.json'),
      '--db',
      join(folder, 's.sqlite'),
      '--json',
    ]);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;

    expect(result.status).toBe(0);
    expect(summary.accounts).toBe(2);
    expect(summary.users).toBe(2);
    expect(summary.events).toBe(1);
    expect(summary.rejected).toBe(1);
    expect(summary.rejections).toEqual([
      { file: 'events.csv', line: 3, column: 'account', reason: 'unknown account "a9"' },
    ]);
  });

  it('exits 1 on an unparseable file', () => {
    const folder = writeFolder({
      'mapping.json': mapping,
      'accounts.csv': 'id\n"a1\n',
      'events.csv': 'account,at\n',
    });
    const result = uptake([
      'import',
      folder,
      '--mapping',
      join(folder, 'mapping.json'),
      '--db',
      join(folder, 's.sqlite'),
    ]);

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/accounts\.csv: FAILED, nothing stored/);
  });

  it('exits 1 on an invalid mapping', () => {
    const folder = writeFolder({
      'mapping.json': '{"files": [{"file": "a.csv", "entities": []}]}',
    });
    const result = uptake([
      'import',
      folder,
      '--mapping',
      join(folder, 'mapping.json'),
      '--db',
      join(folder, 's.sqlite'),
    ]);

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/\$\.files\[0\]\.entities: /);
  });

  it('has help', () => {
    const result = uptake(['import', '--help']);

    expect(result.stdout).toMatch(/--mapping <file>/);
    expect(result.stdout).toMatch(/--shift-days <days>/);
  });
});

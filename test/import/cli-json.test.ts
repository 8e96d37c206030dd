import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

function importJson(folder: string, target = folder) {
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'bin/uptake.js'),
      'import',
      target,
      '--mapping',
      join(folder, 'mapping.json'),
      '--db',
      join(folder, 's.sqlite'),
      '--json',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeFolder(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'uptake-cli-json-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  return folder;
}

const accountsMapping = JSON.stringify({
  files: [{ file: 'accounts.csv', entities: [{ entity: 'account', fields: { id: 'id' } }] }],
});

type ErrorOutput = { error: { kind: string; message: string; issues?: string[] } };

describe('uptake import --json on a fatal error', () => {
  it('invalid mapping', () => {
    const folder = writeFolder({
      'mapping.json': '{"files": [{"file": "a.csv", "entities": []}]}',
    });
    const result = importJson(folder);
    const output = JSON.parse(result.stdout) as ErrorOutput;

    expect(result.status).toBe(1);
    expect(output.error.kind).toBe('MappingError');
    expect(output.error.issues?.[0]).toMatch(/\$\.files\[0\]\.entities: /);
  });

  it('path not found', () => {
    const folder = writeFolder({ 'mapping.json': accountsMapping });
    const result = importJson(folder, join(folder, 'missing'));
    const output = JSON.parse(result.stdout) as ErrorOutput;

    expect(result.status).toBe(1);
    expect(output.error.message).toMatch(/missing: file or folder not found/);
    expect(result.stderr).toMatch(/file or folder not found/);
  });

  it('missing lookup file', () => {
    const mapping = JSON.parse(accountsMapping) as Record<string, unknown>;
    mapping.lookups = { regions: { file: 'regions.csv', key: ['id'] } };
    const folder = writeFolder({ 'mapping.json': JSON.stringify(mapping), 'accounts.csv': 'id\n' });
    const result = importJson(folder);
    const output = JSON.parse(result.stdout) as ErrorOutput;

    expect(result.status).toBe(1);
    expect(output.error.message).toMatch(/lookup "regions": .*regions\.csv: file not found/);
  });
});

describe('uptake import --json counts', () => {
  it('splits inserted, updated and unchanged', () => {
    const folder = writeFolder({ 'mapping.json': accountsMapping, 'accounts.csv': 'id\na1\na2\n' });
    importJson(folder);
    const again = JSON.parse(importJson(folder).stdout) as {
      accounts: number;
      changes: { account: unknown };
    };

    expect(again.accounts).toBe(2);
    expect(again.changes.account).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
  });
});

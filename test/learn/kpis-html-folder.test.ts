import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const cli = resolve(__dirname, '../../bin/uptake.js');

describe('kpis --html folder check', () => {
  it('rejects a missing folder before reading the store', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'uptake-kpis-')), 'no-such-dir', 'x.html');
    // No store exists at this path, so a later check would name the store instead.
    const db = join(tmpdir(), 'uptake-kpis-no-store.sqlite');
    const result = spawnSync(process.execPath, [cli, 'kpis', '--db', db, '--html', missing], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Invalid --html value "${missing}"`);
    expect(result.stderr).toContain('no-such-dir not found');
  });
});

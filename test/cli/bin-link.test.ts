import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = resolve(__dirname, '../../bin/uptake.js');

describe('uptake bin', () => {
  it('prints help through a symlink', () => {
    // npx and global installs run the bin through a link whose name is not uptake.js.
    const link = join(mkdtempSync(join(tmpdir(), 'uptake-bin-')), 'uptake');
    symlinkSync(bin, link);

    const run = spawnSync(process.execPath, [link, '--help'], { encoding: 'utf8' });

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: uptake');
  });

  it('exits 1 on an unknown command', () => {
    const run = spawnSync(process.execPath, [bin, 'no-such-command'], { encoding: 'utf8' });

    expect(run.status).toBe(1);
    expect(run.stderr).toContain("unknown command 'no-such-command'");
  });
});

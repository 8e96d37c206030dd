import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createPortfolioStore } from './portfolio-fixture';

const cli = resolve(__dirname, '../../bin/uptake.js');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('learn CLI commands', () => {
  let db = '';

  beforeAll(async () => {
    const store = await createPortfolioStore(20);
    db = store.path;
    await store.close();
  });

  it('rejects show before any learn', () => {
    const result = run('benchmarks', 'show', '--db', db);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('uptake benchmarks learn');
  });

  it('learns and shows version 1', () => {
    const learned = JSON.parse(run('benchmarks', 'learn', '--db', db, '--json').stdout);
    const shown = JSON.parse(run('benchmarks', 'show', '--db', db, '--json').stdout);
    expect(learned.version).toBe(1);
    expect(shown.version).toBe(1);
  });

  it('writes the KPI HTML report', () => {
    const html = join(mkdtempSync(join(tmpdir(), 'uptake-kpis-')), 'kpis.html');
    const result = run('kpis', '--db', db, '--as-of', '2024-03-01', '--html', html);
    expect(result.stdout).toContain('Time To Onboard');
    expect(readFileSync(html, 'utf8')).toContain('<canvas id="cohorts">');
  });

  it('backtests the playbook identically twice', () => {
    const args = ['backtest', '--db', db, '--from', '2024-01-01', '--to', '2024-04-29', '--json'];
    const first = run(...args);
    const second = run(...args);
    expect(first.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it('names a bad date option', () => {
    const result = run('backtest', '--db', db, '--from', 'soon', '--to', '2024-04-29');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid --from value "soon"');
  });

  it('rejects a missing store file', () => {
    const missing = join(tmpdir(), 'no-such-uptake.sqlite');
    expect(existsSync(missing)).toBe(false);
    expect(run('kpis', '--db', missing).stderr).toContain('Store file not found');
  });
});

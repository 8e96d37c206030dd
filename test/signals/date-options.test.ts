import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseInstant } from '../../src/store/time';

const cli = resolve(__dirname, '../../bin/uptake.js');

function run(...args: string[]): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

describe('parseInstant calendar check', () => {
  it('rejects November 31', () => {
    expect(parseInstant('2013-11-31')).toBeUndefined();
  });

  it('rejects February 30', () => {
    expect(parseInstant('2013-02-30')).toBeUndefined();
  });

  it('rejects February 29 of a common year in a date-time', () => {
    expect(parseInstant('2013-02-29T12:00:00Z')).toBeUndefined();
  });

  it('accepts February 29 of a leap year', () => {
    expect(parseInstant('2012-02-29')).toBe(Date.UTC(2012, 1, 29));
  });
});

describe('date options of the CLI', () => {
  it('signals rejects 2013-11-31', () => {
    const result = run('signals', 'A1', '--as-of', '2013-11-31');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid --as-of value "2013-11-31"');
  });

  it('kpis rejects 2013-02-30', () => {
    const result = run('kpis', '--as-of', '2013-02-30');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid --as-of value "2013-02-30"');
  });

  it('backtest rejects --to 2014-06-31', () => {
    const result = run('backtest', '--from', '2014-01-01', '--to', '2014-06-31');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid --to value "2014-06-31"');
  });

  it('templates preview rejects 2013-04-31', () => {
    const result = run(
      'templates',
      'preview',
      'key-features',
      '--account',
      'A1',
      '--as-of',
      '2013-04-31',
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid --as-of value "2013-04-31"');
  });
});

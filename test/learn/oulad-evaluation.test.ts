import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { evaluateHoldout, type WeekEvaluation } from '../../src/learn/holdout-evaluation';
import { learnFromStore } from '../../src/learn/learn-from-store';
import { writeOuladSubset } from '../../src/learn/oulad-subset';
import { openStore } from '../../src/store/database';

const repo = resolve(__dirname, '../..');
const dataDir = resolve(__dirname, '../../../shared/data/oulad');
const doc = readFileSync(join(repo, 'docs/oulad-evaluation.md'), 'utf8');

/** Reads the AUCs of one results row of the doc, by the row's first words. */
function documentedAucs(rowStart: string): number[] {
  const row = doc.split('\n').find((line) => line.startsWith(`| ${rowStart}`));
  if (!row) throw new Error(`docs/oulad-evaluation.md has no row starting "${rowStart}"`);
  return row
    .split('|')
    .slice(2, 5)
    .map((cell) => Number(cell.trim()));
}

const describeWithData = existsSync(dataDir) ? describe : describe.skip;

describeWithData('health score on OULAD', () => {
  jest.setTimeout(600_000);
  let results: WeekEvaluation[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uptake-oulad-'));
    writeOuladSubset(dataDir, join(dir, 'csv'), ['AAA-2013J', 'BBB-2013B', 'AAA-2014J']);
    const db = join(dir, 'oulad.sqlite');
    execFileSync(
      process.execPath,
      [
        join(repo, 'bin/uptake.js'),
        'import',
        join(dir, 'csv'),
        '--mapping',
        join(repo, 'examples/oulad/mapping.json'),
        '--db',
        db,
        '--json',
      ],
      { stdio: 'ignore' },
    );

    const store = await openStore(db);
    try {
      const payload = await learnFromStore(store, { accountPattern: /^(AAA-2013J|BBB-2013B)-/ });
      results = await evaluateHoldout(store, payload, {
        accountPattern: /^AAA-2014J-/,
        weeks: [2, 4, 8],
      });
    } finally {
      await store.close();
    }
  }, 600_000);

  const aucOf = (target: string, week: number) =>
    results.find((result) => result.target === target && result.week === week)?.auc ?? NaN;

  it.each([
    [2, 0],
    [4, 1],
    [8, 2],
  ])('matches the doc for fail-or-withdraw at week %i', (week, column) => {
    expect(aucOf('churnOrLapse', week)).toBeCloseTo(documentedAucs('fail or withdraw')[column]!, 3);
  });

  it.each([
    [2, 0],
    [4, 1],
    [8, 2],
  ])('matches the doc for withdrawal at week %i', (week, column) => {
    expect(aucOf('churn', week)).toBeCloseTo(documentedAucs('withdrawal')[column]!, 3);
  });

  it.each([2, 4, 8])('beats chance for fail-or-withdraw at week %i', (week) => {
    expect(aucOf('churnOrLapse', week)).toBeGreaterThan(0.5);
  });

  it('beats chance for withdrawal at week 8', () => {
    expect(aucOf('churn', 8)).toBeGreaterThan(0.5);
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadBacktestRules } from '../src/backtest/load-rules';
import { runBacktest } from '../src/backtest/run-backtest';
import { loadAdoptionIndex } from '../src/learn/adoption-from-store';
import { createEnrich } from '../src/learn/enrich';
import { listAccountIds } from '../src/learn/learn-from-store';
import { writeOuladSubset } from '../src/learn/oulad-subset';
import { computeSignals } from '../src/signals/compute';
import { iterateAccountHistories } from '../src/signals/history';
import { openStore, type Store } from '../src/store/database';
import { dayMs } from '../src/store/time';
import type { Bench, BenchFigure } from './types';

const repo = resolve(__dirname, '..');
const dataDir = resolve(repo, '../shared/data/oulad');
/** All OULAD registrations over their presentation: 32,593 x about 270 days. */
const fullOuladAccountDays = 32_593 * 270;
/** One presentation with click data and one without, like most registrations in the dataset. */
const subsetPresentations = ['AAA-2014J', 'DDD-2014J'];
const from = Date.UTC(2013, 0, 1);
const to = Date.UTC(2015, 11, 31);

/**
 * Opens the OULAD store to replay: UPTAKE_BENCH_OULAD_DB when it names a
 * store with the whole dataset imported, else a fresh import of two
 * presentations into a temporary folder.
 */
function prepareStore(): { path: string; full: boolean; cleanup: () => void } {
  const given = process.env.UPTAKE_BENCH_OULAD_DB;
  if (given && existsSync(given)) return { path: given, full: true, cleanup: () => undefined };

  const dir = mkdtempSync(join(tmpdir(), 'uptake-backtest-bench-'));
  writeOuladSubset(dataDir, join(dir, 'csv'), subsetPresentations);
  const path = join(dir, 'oulad.sqlite');
  const mapping = join(repo, 'examples/oulad/mapping.json');
  execFileSync(
    process.execPath,
    [
      join(repo, 'bin/uptake.js'),
      'import',
      join(dir, 'csv'),
      '--mapping',
      mapping,
      '--db',
      path,
      '--json',
    ],
    {
      stdio: 'ignore',
    },
  );
  return { path, full: false, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Baseline: computeSignals once per account-day over the same accounts and window, nothing else. */
async function signalsPerDay(store: Store): Promise<{ accountDays: number; seconds: number }> {
  const started = process.hrtime.bigint();
  let accountDays = 0;
  for await (const history of iterateAccountHistories(store, await listAccountIds(store))) {
    const contract = history.contracts[0];
    if (!contract) continue;
    const end = Math.min(to, contract.outcome_at ?? contract.renewal_at);
    for (let at = Math.max(from, contract.start_at); at <= end; at += dayMs) {
      computeSignals(history, at);
      accountDays += 1;
    }
  }
  return { accountDays, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

const bench: Bench = {
  title: 'Backtest throughput on OULAD (account-days per second, one core)',
  async run(): Promise<BenchFigure[]> {
    const prepared = prepareStore();
    const store = await openStore(prepared.path);
    try {
      const { rules, ruleSet } = loadBacktestRules();
      const adoption = await loadAdoptionIndex(store, to);

      const started = process.hrtime.bigint();
      const cpuBefore = process.cpuUsage();
      const report = await runBacktest(store, {
        from,
        to,
        rules,
        ruleSet,
        signalOptions: { enrich: createEnrich({ adoption }) },
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = process.cpuUsage(cpuBefore);
      // CPU time shows how much of the wall time the process got on a shared machine.
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const baseline = await signalsPerDay(store);

      const rate = report.accountDays / seconds;
      const baselineRate = baseline.accountDays / baseline.seconds;
      const scope = prepared.full
        ? 'all OULAD registrations'
        : `${subsetPresentations.join(' and ')} (${report.accounts} registrations)`;
      return [
        {
          name: `backtest, default playbook, ${scope}`,
          value: rate,
          unit: 'account-days/s',
          baseline: {
            name: 'computeSignals once per account-day, same accounts',
            value: baselineRate,
            unit: 'account-days/s',
          },
          ratio: rate / baselineRate,
          note: `${report.accountDays} account-days, ${report.checks} checks in ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s CPU), history loading included`,
        },
        {
          name: prepared.full
            ? 'all OULAD registrations, measured'
            : 'all OULAD registrations, estimate',
          value: prepared.full ? seconds : fullOuladAccountDays / rate,
          unit: 's',
          goal: 'under 60 s',
          note: prepared.full
            ? `${report.accountDays} account-days replayed`
            : `estimate: 32,593 x 270 account-days at the measured subset rate; set UPTAKE_BENCH_OULAD_DB to a full import to measure`,
        },
      ];
    } finally {
      await store.close();
      prepared.cleanup();
    }
  },
};

export default bench;

import type { Command } from 'commander';
import { formatBenchmarkSet } from '../../learn/benchmark-summary';
import { loadBenchmarkSet, saveBenchmarkSet } from '../../learn/benchmark-store';
import { learnFromStore } from '../../learn/learn-from-store';
import { openExistingStore, parseDateOption, parsePatternOption } from '../../reports/store-access';

interface LearnOptions {
  db?: string;
  termsBefore?: string;
  accounts?: string;
  lapsedIgnored?: boolean;
  json?: boolean;
}

interface ShowOptions {
  db?: string;
  version?: string;
  week: string;
  json?: boolean;
}

const dbHelp = 'SQLite store file (default: UPTAKE_DB or .uptake/uptake.sqlite)';

/** Registers `uptake benchmarks learn` and `uptake benchmarks show`. */
export function registerBenchmarksCommand(program: Command): void {
  const benchmarks = program
    .command('benchmarks')
    .description('Learn signal benchmarks and health-score weights from past renewals and churn');

  benchmarks
    .command('learn')
    .description(
      'Learn, for each signal and account week, the distribution among renewed and churned accounts, its AUC and a threshold, and store them as the next benchmark set version',
    )
    .option('--db <path>', dbHelp)
    .option(
      '--terms-before <date>',
      'learn only from terms whose outcome came before this ISO date',
    )
    .option(
      '--accounts <regex>',
      'learn only from accounts whose id matches this regular expression',
    )
    .option('--lapsed-ignored', 'leave out lapsed terms instead of counting them as churned')
    .option('--json', 'print the stored set as JSON')
    .action(async (options: LearnOptions) => {
      const store = await openExistingStore(options.db);
      try {
        const termsBefore = options.termsBefore
          ? parseDateOption('--terms-before', options.termsBefore)
          : undefined;
        const payload = await learnFromStore(store, {
          ...(termsBefore === undefined ? {} : { termsBefore }),
          ...(options.accounts
            ? { accountPattern: parsePatternOption('--accounts', options.accounts) }
            : {}),
          lapsedAsChurned: !options.lapsedIgnored,
        });
        const set = await saveBenchmarkSet(store, payload, {
          createdAt: Date.now(),
          termsBefore: termsBefore ?? null,
        });
        console.log(options.json ? JSON.stringify(set) : formatBenchmarkSet(set));
      } finally {
        await store.close();
      }
    });

  benchmarks
    .command('show')
    .description(
      'Print a stored benchmark set: health weights, AUC per week, thresholds and medians',
    )
    .option('--db <path>', dbHelp)
    .option('--version <n>', 'version to show (default: the latest)')
    .option('--week <n>', 'account week whose thresholds and medians the table shows', '4')
    .option('--json', 'print the whole set as JSON')
    .action(async (options: ShowOptions) => {
      const store = await openExistingStore(options.db);
      try {
        const version =
          options.version === undefined
            ? undefined
            : parseWholeNumber('--version', options.version);
        const set = await loadBenchmarkSet(store, version);
        if (!set) {
          throw new Error(
            version === undefined
              ? 'No benchmark set stored yet. Run `uptake benchmarks learn` first.'
              : `Benchmark set version ${version} not found. Run \`uptake benchmarks show\` for the latest.`,
          );
        }
        const week = parseWholeNumber('--week', options.week);
        console.log(options.json ? JSON.stringify(set) : formatBenchmarkSet(set, week));
      } finally {
        await store.close();
      }
    });
}

function parseWholeNumber(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Invalid ${option} value "${text}": expected a whole number such as 4.`);
  }
  return value;
}

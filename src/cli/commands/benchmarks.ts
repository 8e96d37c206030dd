import type { Command } from 'commander';
import { formatBenchmarkSet } from '../../learn/benchmark-summary';
import { loadBenchmarkSet, saveBenchmarkSet } from '../../learn/benchmark-store';
import { evaluateHoldout, type WeekEvaluation } from '../../learn/holdout-evaluation';
import { learnFromStore } from '../../learn/learn-from-store';
import { formatNumber, formatTable } from '../../reports/text-table';
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

interface EvaluateOptions {
  db?: string;
  train: string;
  test: string;
  weeks: string;
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

  registerEvaluateCommand(benchmarks);

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

/** Registers `uptake benchmarks evaluate`, which learns on some accounts and scores others. */
function registerEvaluateCommand(benchmarks: Command): void {
  benchmarks
    .command('evaluate')
    .description(
      'Learn a health score on the --train accounts and report its AUC on the --test accounts at given account weeks, for churn and for churn-or-lapse; stores nothing',
    )
    .option('--db <path>', dbHelp)
    .requiredOption('--train <regex>', 'account ids to learn from, e.g. "^(AAA-2013J|BBB-2013B)-"')
    .requiredOption('--test <regex>', 'account ids to score, e.g. "^AAA-2014J-"')
    .option('--weeks <list>', 'comma-separated account weeks to score at', '2,4,8')
    .option('--json', 'print the results as JSON')
    .action(async (options: EvaluateOptions) => {
      const weeks = options.weeks
        .split(',')
        .map((week) => parseWholeNumber('--weeks', week.trim()));
      const store = await openExistingStore(options.db);
      try {
        const payload = await learnFromStore(store, {
          accountPattern: parsePatternOption('--train', options.train),
        });
        const results = await evaluateHoldout(store, payload, {
          accountPattern: parsePatternOption('--test', options.test),
          weeks,
        });
        console.log(
          options.json
            ? JSON.stringify({
                trainingAuc: payload.health.trainingAuc,
                weights: payload.health.weights,
                results,
              })
            : formatEvaluation(results),
        );
      } finally {
        await store.close();
      }
    });
}

function formatEvaluation(results: readonly WeekEvaluation[]): string {
  const rows = results.map((result) => [
    result.target === 'churn' ? 'churned vs rest' : 'churned or lapsed vs renewed',
    String(result.week),
    String(result.positives),
    String(result.negatives),
    formatNumber(result.auc, 3),
  ]);
  return formatTable(['target', 'week', 'positives', 'negatives', 'AUC'], rows);
}

function parseWholeNumber(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Invalid ${option} value "${text}": expected a whole number such as 4.`);
  }
  return value;
}

import type { Command } from 'commander';
import { formatBacktestReport } from '../../backtest/format-report';
import { checkRiskRuleIds, loadBacktestRules } from '../../backtest/load-rules';
import { runBacktest } from '../../backtest/run-backtest';
import { loadAdoptionIndex } from '../../learn/adoption-from-store';
import { loadBenchmarkSet } from '../../learn/benchmark-store';
import { createEnrich } from '../../learn/enrich';
import { openExistingStore, parseDateOption, parsePatternOption } from '../../reports/store-access';

interface BacktestCommandOptions {
  from: string;
  to: string;
  rules?: string;
  templates?: string;
  db?: string;
  riskRules?: string;
  accounts?: string;
  json?: boolean;
}

/** Registers `uptake backtest`. */
export function registerBacktestCommand(program: Command): void {
  program
    .command('backtest')
    .description(
      'Replay stored history through the rules and the lifecycle decision core in simulated time, without side effects, and report per rule how often it fired and for whom, and the precision, recall and lead time of risk rules against actual churn',
    )
    .requiredOption('--from <date>', 'first simulated day, ISO date')
    .requiredOption('--to <date>', 'last simulated day, ISO date')
    .option('--rules <dir>', 'rule folder to replay (default: the shipped rules/)')
    .option(
      '--templates <dir>',
      'templates folder the rules are validated against (default: templates/)',
    )
    .option('--db <path>', 'SQLite store file (default: UPTAKE_DB or .uptake/uptake.sqlite)')
    .option(
      '--risk-rules <ids>',
      'comma-separated rule ids that count as risk flags (default: rules with a CSM task action)',
    )
    .option('--accounts <regex>', 'replay only accounts whose id matches this regular expression')
    .option('--json', 'print the report as one JSON object, with every account per rule')
    .action(async (options: BacktestCommandOptions) => {
      const from = parseDateOption('--from', options.from);
      const to = parseDateOption('--to', options.to);
      const { rules, ruleSet, ruleIds } = loadBacktestRules(options.rules, options.templates);
      const riskRuleIds = options.riskRules?.split(',').map((id) => id.trim());
      if (riskRuleIds) checkRiskRuleIds(riskRuleIds, ruleIds);
      const store = await openExistingStore(options.db);
      try {
        // NOTE: adopter categories rank accounts on usage up to --to, so the population an
        // account is ranked in may include accounts that only became available after the simulated day.
        const benchmarks = await loadBenchmarkSet(store);
        const adoption = await loadAdoptionIndex(store, to);
        const report = await runBacktest(store, {
          from,
          to,
          rules,
          ruleSet,
          signalOptions: {
            enrich: createEnrich({ adoption, ...(benchmarks ? { benchmarks } : {}) }),
          },
          ...(riskRuleIds ? { riskRuleIds } : {}),
          ...(options.accounts
            ? { accountPattern: parsePatternOption('--accounts', options.accounts) }
            : {}),
        });
        console.log(options.json ? JSON.stringify(report) : formatBacktestReport(report));
      } finally {
        await store.close();
      }
    });
}

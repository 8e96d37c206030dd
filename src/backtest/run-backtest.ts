import { listAccountIds } from '../learn/learn-from-store';
import { iterateAccountHistories } from '../signals/history';
import type { Store } from '../store/database';
import { buildBacktestReport, riskClassifier, type BacktestReport } from './report';
import { replayAccount, type AccountReplay, type ReplaySettings } from './replay';

/** Options of a backtest over the store. */
export interface BacktestOptions extends ReplaySettings {
  /** Rule ids that count as risk flags; rules with a CSM task action when omitted. */
  riskRuleIds?: readonly string[];
  /** Only accounts whose id matches; every account when omitted. */
  accountPattern?: RegExp;
}

/**
 * Replays every account of the store through the rules and the decision core
 * between `from` and `to`, loading each account's history once, and reports
 * per rule and for the risk rules against actual churn. Read-only.
 */
export async function runBacktest(store: Store, options: BacktestOptions): Promise<BacktestReport> {
  if (options.to < options.from) {
    throw new Error(
      `backtest window is empty: --to ${new Date(options.to).toISOString()} is before --from ${new Date(options.from).toISOString()}`,
    );
  }
  const ids = await listAccountIds(store, options.accountPattern);
  const replays: AccountReplay[] = [];
  for await (const history of iterateAccountHistories(store, ids)) {
    replays.push(replayAccount(history, options));
  }
  return buildBacktestReport(
    replays,
    { from: options.from, to: options.to, ruleSetVersion: options.ruleSet.version },
    riskClassifier(options.riskRuleIds),
  );
}

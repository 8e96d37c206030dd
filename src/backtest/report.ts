import { quantileSorted } from '../learn/statistics';
import { dayMs } from '../store/time';
import type { AccountReplay, RuleFiring } from './replay';

/** Firing counts of one rule over the replay, and the accounts it fired for. */
export interface RuleSummary {
  ruleId: string;
  risk: boolean;
  firings: number;
  planned: number;
  held: number;
  /** Held actions per reason. */
  heldReasons: Record<string, number>;
  /** Accounts it fired for, sorted by id. */
  accounts: string[];
}

/** Risk rules scored as a churn prediction, per account. */
export interface RiskScore {
  riskRules: string[];
  flaggedAccounts: number;
  churnedAccounts: number;
  /** Flagged accounts that churned, over flagged accounts; null when none was flagged. */
  precision: number | null;
  /** Churned accounts flagged before they churned, over churned accounts; null when none churned. */
  recall: number | null;
  /** Median days from the first risk flag to churn, over churned accounts flagged before churning. */
  medianLeadDays: number | null;
  /** Actions of risk-rule firings held back, per reason, over the whole window. */
  heldReasons: Record<string, number>;
}

/** The backtest report: identical for identical input, so it holds no wall-clock values. */
export interface BacktestReport {
  from: string;
  to: string;
  ruleSetVersion: string;
  accounts: number;
  accountDays: number;
  checks: number;
  rules: RuleSummary[];
  risk: RiskScore;
}

/** Decides whether a firing belongs to a risk rule: the listed ids, or else rules with a CSM task. */
export function riskClassifier(riskRuleIds?: readonly string[]): (firing: RuleFiring) => boolean {
  if (riskRuleIds && riskRuleIds.length > 0) {
    const ids = new Set(riskRuleIds);
    return (firing) => ids.has(firing.ruleId);
  }
  return (firing) => firing.hasTask;
}

/** Summarizes account replays into the report. */
export function buildBacktestReport(
  replays: readonly AccountReplay[],
  window: { from: number; to: number; ruleSetVersion: string },
  isRisk: (firing: RuleFiring) => boolean,
): BacktestReport {
  const sorted = [...replays].sort(byAccountId);
  return {
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    ruleSetVersion: window.ruleSetVersion,
    accounts: sorted.length,
    accountDays: sorted.reduce((sum, replay) => sum + replay.accountDays, 0),
    checks: sorted.reduce((sum, replay) => sum + replay.checks, 0),
    rules: summarizeRules(sorted, isRisk),
    risk: scoreRisk(sorted, isRisk),
  };
}

/** Orders by account id with a plain code-unit comparison, so the order never depends on locale. */
function byAccountId(left: AccountReplay, right: AccountReplay): number {
  if (left.accountId === right.accountId) return 0;
  return left.accountId < right.accountId ? -1 : 1;
}

function summarizeRules(
  replays: readonly AccountReplay[],
  isRisk: (firing: RuleFiring) => boolean,
): RuleSummary[] {
  const byRule = new Map<string, RuleSummary & { accountSet: Set<string> }>();
  for (const replay of replays) {
    for (const firing of replay.firings) {
      const summary = byRule.get(firing.ruleId) ?? {
        ruleId: firing.ruleId,
        risk: isRisk(firing),
        firings: 0,
        planned: 0,
        held: 0,
        heldReasons: {},
        accounts: [],
        accountSet: new Set<string>(),
      };
      summary.firings += 1;
      summary.planned += firing.planned;
      summary.held += firing.held;
      countReasons(summary.heldReasons, firing.heldReasons);
      summary.accountSet.add(replay.accountId);
      byRule.set(firing.ruleId, summary);
    }
  }
  return [...byRule.values()]
    .sort((a, b) => (a.ruleId < b.ruleId ? -1 : 1))
    .map(({ accountSet, ...summary }) => ({
      ...summary,
      heldReasons: sortKeys(summary.heldReasons),
      accounts: [...accountSet].sort(),
    }));
}

function countReasons(counts: Record<string, number>, reasons: readonly string[]): void {
  for (const reason of reasons) counts[reason] = (counts[reason] ?? 0) + 1;
}

/** Orders the keys so identical input gives identical JSON. */
function sortKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts).sort(([left], [right]) => (left < right ? -1 : 1)),
  );
}

function scoreRisk(
  replays: readonly AccountReplay[],
  isRisk: (firing: RuleFiring) => boolean,
): RiskScore {
  const riskRules = new Set<string>();
  let flagged = 0;
  let churned = 0;
  let flaggedChurned = 0;
  const leadDays: number[] = [];
  const heldReasons: Record<string, number> = {};

  for (const replay of replays) {
    for (const firing of replay.firings) {
      if (isRisk(firing)) countReasons(heldReasons, firing.heldReasons);
    }
    const churnedAt = replay.churnedAt;
    const flags = replay.firings.filter(
      (firing) => isRisk(firing) && (churnedAt === null || firing.at <= churnedAt),
    );
    for (const flag of flags) riskRules.add(flag.ruleId);
    if (flags.length > 0) flagged += 1;
    if (churnedAt === null) continue;

    churned += 1;
    if (flags.length === 0) continue;
    flaggedChurned += 1;
    // A loop, not Math.min(...flags): spreading a long list overflows the stack.
    let first = Infinity;
    for (const flag of flags) first = Math.min(first, flag.at);
    leadDays.push((churnedAt - first) / dayMs);
  }

  leadDays.sort((a, b) => a - b);
  return {
    riskRules: [...riskRules].sort(),
    flaggedAccounts: flagged,
    churnedAccounts: churned,
    precision: flagged === 0 ? null : flaggedChurned / flagged,
    recall: churned === 0 ? null : flaggedChurned / churned,
    medianLeadDays: quantileSorted(leadDays, 0.5),
    heldReasons: sortKeys(heldReasons),
  };
}

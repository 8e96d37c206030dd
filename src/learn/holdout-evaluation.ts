import { computeSignals } from '../signals/compute';
import { iterateAccountHistories, type AccountHistory } from '../signals/history';
import type { Store } from '../store/database';
import { dayMs } from '../store/time';
import type { BenchmarkPayload } from './benchmark-set';
import { scoreHealth } from './health-score';
import { listAccountIds } from './learn-from-store';
import { termEnd } from './outcome-samples';
import { computeAuc } from './statistics';

/** Outcomes the health score is asked to predict on held-out accounts. */
export const evaluationTargets = {
  /** Churned terms against every other term with an outcome. */
  churn: (outcome: string) => outcome === 'churned',
  /** Churned or lapsed terms against renewed (and expanded) ones. */
  churnOrLapse: (outcome: string) => outcome === 'churned' || outcome === 'lapsed',
} as const;
export type EvaluationTarget = keyof typeof evaluationTargets;

/** AUC of the health score for one target at one account week. */
export interface WeekEvaluation {
  week: number;
  target: EvaluationTarget;
  /** Accounts with the outcome (for example withdrawn) still in their term at that week. */
  positives: number;
  negatives: number;
  /** Probability that an account with the outcome scores lower than one without; 0.5 is chance. */
  auc: number | null;
}

/** One held-out account's health score at one week, with its term outcome. */
interface ScoredAccount {
  week: number;
  outcome: string;
  score: number;
}

/**
 * Scores held-out accounts with a learned benchmark set at the given weeks
 * (snapshot at term start + 7 * week days), counting only accounts whose
 * term had not ended by then, and returns the AUC per week and target.
 */
export async function evaluateHoldout(
  store: Store,
  payload: BenchmarkPayload,
  options: { accountPattern?: RegExp; weeks: readonly number[] },
): Promise<WeekEvaluation[]> {
  const scored: ScoredAccount[] = [];
  const ids = await listAccountIds(store, options.accountPattern);
  for await (const history of iterateAccountHistories(store, ids)) {
    scored.push(...scoreAccount(history, payload, options.weeks));
  }

  const results: WeekEvaluation[] = [];
  for (const target of Object.keys(evaluationTargets) as EvaluationTarget[]) {
    for (const week of options.weeks) results.push(evaluateWeek(scored, week, target));
  }
  return results;
}

function scoreAccount(
  history: AccountHistory,
  payload: BenchmarkPayload,
  weeks: readonly number[],
): ScoredAccount[] {
  const scored: ScoredAccount[] = [];
  for (const contract of history.contracts) {
    if (contract.outcome === null) continue;
    for (const week of weeks) {
      const asOf = contract.start_at + week * 7 * dayMs;
      if (asOf >= termEnd(contract) || asOf > contract.renewal_at) continue;
      const facts = computeSignals(history, asOf);
      const health = scoreHealth(
        payload,
        facts.accountAgeDays,
        facts as unknown as Record<string, number | null>,
      );
      if (health) scored.push({ week, outcome: contract.outcome, score: health.score });
    }
  }
  return scored;
}

function evaluateWeek(
  scored: readonly ScoredAccount[],
  week: number,
  target: EvaluationTarget,
): WeekEvaluation {
  const isPositive = evaluationTargets[target];
  const atWeek = scored.filter((entry) => entry.week === week);
  // churnOrLapse compares against renewed terms only; churn compares against every other outcome.
  const negatives = atWeek.filter(
    (entry) =>
      !isPositive(entry.outcome) &&
      (target === 'churn' || entry.outcome === 'renewed' || entry.outcome === 'expanded'),
  );
  const positives = atWeek.filter((entry) => isPositive(entry.outcome));
  // A healthy score should be high for negatives, so the AUC of (negatives over positives) is the risk AUC.
  const auc = computeAuc(
    negatives.map((entry) => entry.score),
    positives.map((entry) => entry.score),
  );
  return { week, target, positives: positives.length, negatives: negatives.length, auc };
}

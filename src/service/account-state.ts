import type { AccountStateReader, DecisionView } from '../api/ports';
import { listRecentChecks, type CheckRecord } from '../lifecycle/check-store';
import { computeSignalsWithUsage, type EnrichFacts } from '../signals/compute';
import { stageAsOf } from '../signals/stage';
import { summarizeUsage } from '../signals/usage';
import { toEpochDay } from '../store/time';
import { loadAccountHistory, type AccountHistory } from '../signals/history';
import type { Store } from '../store/database';
import { readDeliveryOutcomes } from './delivery-outcomes';

/** Number of most recent checks the account route returns. */
const recentChecks = 10;

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Creates the reader behind GET /v1/accounts/:id. It returns the stored
 * account and stage and its signals computed as of the requested instant.
 * It adds the latest checks: what fired, what did not and on which
 * conditions, what was held back and why, and what was planned with the
 * outbox status of each planned action (null before delivery starts).
 */
export function createAccountStateReader(store: Store, enrich?: EnrichFacts): AccountStateReader {
  return async (accountId, asOf) => {
    const history = await loadAccountHistory(store, accountId);
    if (!history) return undefined;
    const checks = await listRecentChecks(store, accountId, recentChecks);
    const facts = computeSignalsWithUsage(
      history,
      asOf,
      summarizeUsage(history.usageDaily, toEpochDay(asOf)),
      enrich ? { enrich } : {},
      stageReader(history, checks[0]?.checkedAt),
    );

    const decisions = await describeChecks(store, checks);

    const { account } = history;
    return {
      account: { ...account, attributes: parseJson(account.attributes) },
      stage: account.stage,
      signals: facts as unknown as Record<string, unknown>,
      decisions,
    };
  };
}

/**
 * Returns the stage of the signals at an instant. From the latest check on it
 * is the stored stage, which the account's workflow keeps, so the signals
 * agree with `stage` also after a check that a signal triggered. Before it,
 * and for an account no workflow has checked, the stage is replayed from
 * history.
 */
function stageReader(
  history: AccountHistory,
  latestCheckAt: number | undefined,
): (instant: number) => string {
  return (instant) =>
    latestCheckAt !== undefined && instant >= latestCheckAt
      ? history.account.stage
      : stageAsOf(history, instant);
}

/** Turns stored checks into decision views, joining each planned action with its outbox row. */
async function describeChecks(store: Store, checks: CheckRecord[]): Promise<DecisionView[]> {
  const keys = checks.flatMap((check) => check.planned.map((action) => action.idempotencyKey));
  const outcomes = await readDeliveryOutcomes(store, keys);
  return checks.map((check) => ({
    checkedAt: check.checkedAt,
    checkNumber: check.checkNumber,
    ruleSetVersion: check.ruleSetVersion,
    fired: check.fired,
    held: check.held,
    explanation: {
      stage: check.stage,
      notFired: check.notFired,
      planned: check.planned.map((action) => ({
        ...action,
        delivery: outcomes.get(action.idempotencyKey) ?? null,
      })),
      transition: check.transition ?? null,
    },
  }));
}

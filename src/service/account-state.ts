import type { AccountStateReader, DecisionView } from '../api/ports';
import { listRecentChecks } from '../lifecycle/check-store';
import { computeSignals, type EnrichFacts } from '../signals/compute';
import { loadAccountHistory } from '../signals/history';
import type { Store } from '../store/database';

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
 * conditions, what was held back and why, and what was planned.
 */
export function createAccountStateReader(store: Store, enrich?: EnrichFacts): AccountStateReader {
  return async (accountId, asOf) => {
    const history = await loadAccountHistory(store, accountId);
    if (!history) return undefined;
    const facts = computeSignals(history, asOf, enrich ? { enrich } : {});

    const checks = await listRecentChecks(store, accountId, recentChecks);
    const decisions: DecisionView[] = checks.map((check) => ({
      checkedAt: check.checkedAt,
      checkNumber: check.checkNumber,
      ruleSetVersion: check.ruleSetVersion,
      fired: check.fired,
      held: check.held,
      explanation: {
        stage: check.stage,
        notFired: check.notFired,
        planned: check.planned,
        transition: check.transition ?? null,
      },
    }));

    const { account } = history;
    return {
      account: { ...account, attributes: parseJson(account.attributes) },
      stage: account.stage,
      signals: facts as unknown as Record<string, unknown>,
      decisions,
    };
  };
}

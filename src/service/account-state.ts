import type { AccountStateReader, DecisionView } from '../api/ports';
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

    const checks = await store.db
      .selectFrom('checks')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('checked_at', 'desc')
      .orderBy('check_number', 'desc')
      .limit(recentChecks)
      .execute();
    const decisions: DecisionView[] = checks.map((check) => ({
      checkedAt: check.checked_at,
      checkNumber: check.check_number,
      ruleSetVersion: check.rule_set_version,
      fired: parseJson(check.fired) as unknown[],
      held: parseJson(check.held) as unknown[],
      explanation: {
        stage: check.stage,
        notFired: parseJson(check.not_fired),
        planned: parseJson(check.planned),
        transition: parseJson(check.transition),
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

import type { Store } from '../store/database';
import type { TermOutcomeUpdate } from '../store/ingest';
import type { PendingOutcome } from './store-rows';
import { quoteValue } from './quote';

/** Term outcomes matched to their contracts, and those that match none. */
export interface OutcomeResolution {
  resolved: TermOutcomeUpdate[];
  unresolved: { line: number; column?: string; reason: string }[];
}

/**
 * Finds the contract each outcome belongs to: the named contract of the account, or else
 * the account's term that started last on or before the outcome's time.
 */
export async function resolveOutcomes(
  store: Store,
  pending: readonly PendingOutcome[],
): Promise<OutcomeResolution> {
  const accountIds = [...new Set(pending.map((outcome) => outcome.accountId))];
  const contracts = await store.db
    .selectFrom('contracts')
    .select(['id', 'account_id', 'start_at'])
    .where('account_id', 'in', accountIds)
    .orderBy('start_at')
    .orderBy('id')
    .execute();
  const byAccount = new Map<string, typeof contracts>();
  for (const contract of contracts) {
    const list = byAccount.get(contract.account_id) ?? [];
    list.push(contract);
    byAccount.set(contract.account_id, list);
  }

  const resolution: OutcomeResolution = { resolved: [], unresolved: [] };
  for (const outcome of pending) {
    const terms = byAccount.get(outcome.accountId) ?? [];
    const contract = outcome.contractId
      ? terms.find((term) => term.id === outcome.contractId)
      : terms.filter((term) => term.start_at <= outcome.at).at(-1);
    if (contract) {
      resolution.resolved.push({
        contract_id: contract.id,
        outcome: outcome.outcome,
        outcome_at: outcome.at,
      });
      continue;
    }
    const reason = outcome.contractId
      ? `unknown contract ${quoteValue(outcome.contractId)} of account ${quoteValue(outcome.accountId)}`
      : `no contract of account ${quoteValue(outcome.accountId)} starts on or before ${new Date(outcome.at).toISOString()}`;
    resolution.unresolved.push({ line: outcome.line, column: outcome.column, reason });
  }
  return resolution;
}

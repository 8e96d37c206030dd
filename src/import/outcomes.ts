import type { Store } from '../store/database';
import type { TermOutcomeUpdate } from '../store/ingest';
import type { PendingOutcome } from './store-rows';
import { quoteValue } from './quote';

/** Term outcomes matched to their contracts, and those that match none. */
export interface OutcomeResolution {
  resolved: TermOutcomeUpdate[];
  unresolved: { line: number; column?: string; reason: string }[];
}

/** The columns of a contract that outcomes are matched on. */
export interface ContractTerm {
  id: string;
  account_id: string;
  start_at: number;
}

/**
 * Finds the contract each outcome belongs to: the named contract of the account, or else
 * the account's term that started last on or before the outcome's time. `unwritten` are
 * contracts of the same batch not yet in the store; they replace stored ones of their id.
 */
export async function resolveOutcomes(
  store: Store,
  pending: readonly PendingOutcome[],
  unwritten: readonly ContractTerm[] = [],
): Promise<OutcomeResolution> {
  const accountIds = [...new Set(pending.map((outcome) => outcome.accountId))];
  const stored =
    accountIds.length === 0
      ? []
      : await store.db
          .selectFrom('contracts')
          .select(['id', 'account_id', 'start_at'])
          .where('account_id', 'in', accountIds)
          .execute();
  const byId = new Map<string, ContractTerm>(stored.map((contract) => [contract.id, contract]));
  for (const contract of unwritten) byId.set(contract.id, contract);
  const contracts = [...byId.values()].sort(byStartThenId);
  const byAccount = new Map<string, ContractTerm[]>();
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

function byStartThenId(a: ContractTerm, b: ContractTerm): number {
  if (a.start_at !== b.start_at) return a.start_at - b.start_at;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

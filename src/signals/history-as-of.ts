import type { AccountHistory } from './history';
import type { Contract } from '../store/schema';

/**
 * Returns the history as a check at `asOf` would have seen it. Signals already
 * ignore usage, milestones and tickets dated later, but the decision context
 * reads contracts whole, so terms not yet started are removed and outcomes not
 * yet known are cleared. Rows are shared with the input, not copied.
 */
export function historyAsOf(history: AccountHistory, asOf: number): AccountHistory {
  const contracts: Contract[] = [];
  for (const contract of history.contracts) {
    if (contract.start_at > asOf) continue;
    const known = contract.outcome_at !== null && contract.outcome_at <= asOf;
    contracts.push(
      known || contract.outcome === null
        ? contract
        : { ...contract, outcome: null, outcome_at: null, status: 'active' },
    );
  }
  return { ...history, contracts };
}

/**
 * Returns the term in force at `from`: the latest one started by then, or the
 * first one starting later. Undefined for an account without contracts.
 */
export function termAtStart(history: AccountHistory, from: number): Contract | undefined {
  let current: Contract | undefined;
  for (const contract of history.contracts) {
    if (contract.start_at <= from && (!current || contract.start_at >= current.start_at))
      current = contract;
  }
  if (current) return current;
  return [...history.contracts].sort((a, b) => a.start_at - b.start_at)[0];
}

import { historyAsOf } from '../signals/history-as-of';
import type { AccountHistory } from '../signals/history';

/** Returns `historyAsOf(history, at)`, reusing the last view while it is still the same. */
export type HistoryViewAt = (at: number) => AccountHistory;

/**
 * Creates a cached `historyAsOf` for one account. The view changes only when
 * a term starts or a term outcome becomes known, so between two such instants
 * the same view object is returned instead of a new copy at every check.
 */
export function createHistoryView(history: AccountHistory): HistoryViewAt {
  const changes = contractChangeInstants(history);
  let view: AccountHistory | undefined;
  let validFrom = Infinity;
  let validUntil = -Infinity;
  return (at) => {
    if (view === undefined || at < validFrom || at >= validUntil) {
      view = historyAsOf(history, at);
      validFrom = lastAtOrBefore(changes, at);
      validUntil = firstAfter(changes, at);
    }
    return view;
  };
}

/** Sorted instants at which `historyAsOf` starts to show a term or its outcome. */
export function contractChangeInstants(history: AccountHistory): number[] {
  const instants: number[] = [];
  for (const contract of history.contracts) {
    instants.push(contract.start_at);
    if (contract.outcome_at !== null) instants.push(contract.outcome_at);
  }
  return instants.sort((left, right) => left - right);
}

function lastAtOrBefore(instants: readonly number[], at: number): number {
  let found = -Infinity;
  for (const instant of instants) if (instant <= at) found = instant;
  return found;
}

/** Returns the first of the sorted instants later than `at`, or Infinity. */
export function firstAfter(instants: readonly number[], at: number): number {
  for (const instant of instants) if (instant > at) return instant;
  return Infinity;
}

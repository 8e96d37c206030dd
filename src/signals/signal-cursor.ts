import type { EpochMs } from '../store/schema';
import { toEpochDay } from '../store/time';
import type { AccountFacts } from './catalog';
import { computeSignals, computeSignalsWithUsage, type SignalOptions } from './compute';
import type { AccountHistory } from './history';
import { createUsageCursor } from './usage-cursor';

/** Computes one account's facts at successive instants, reusing work between them. */
export interface SignalCursor {
  /**
   * Returns `computeSignals(view, asOf, options)`. `view` is the account's
   * history or a view of it that shares its `usageDaily` array, such as
   * `historyAsOf` returns. Instants in ascending order are fastest.
   */
  computeAt(view: AccountHistory, asOf: EpochMs): AccountFacts;
}

/**
 * Creates a signal cursor for one account, for callers such as the backtest
 * that compute the same account's facts day after day. Only the usage summary
 * is carried from one call to the next, because it is the one part whose cost
 * grows with the length of the history.
 */
export function createSignalCursor(
  history: AccountHistory,
  options: SignalOptions = {},
): SignalCursor {
  const usage = createUsageCursor(history.usageDaily);
  return {
    computeAt(view, asOf) {
      // Another usage array would not match the cursor's running totals.
      if (view.usageDaily !== history.usageDaily) return computeSignals(view, asOf, options);
      return computeSignalsWithUsage(view, asOf, usage.summarize(toEpochDay(asOf)), options);
    },
  };
}

import type { EpochMs } from '../store/schema';
import { toEpochDay } from '../store/time';
import type { AccountFacts } from './catalog';
import { computeSignals, computeSignalsWithUsage, type SignalOptions } from './compute';
import type { AccountHistory } from './history';
import { createStageWalker } from './stage';
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
 * grows with the length of the history, and the stage replay, which would
 * otherwise start again from the account's first check at every call.
 */
export function createSignalCursor(
  history: AccountHistory,
  options: SignalOptions = {},
): SignalCursor {
  const usage = createUsageCursor(history.usageDaily);
  // Each replayed check reads the history as of its own instant, so walking the whole history
  // gives the stage that walking a historyAsOf view of it gives.
  const stages = createStageWalker(history, options.policy);
  const stageAt = (asOf: EpochMs) => stages.stageAt(asOf);
  return {
    computeAt(view, asOf) {
      // Another usage array would not match the cursor's running totals.
      if (view.usageDaily !== history.usageDaily) return computeSignals(view, asOf, options);
      const summary = usage.summarize(toEpochDay(asOf));
      return computeSignalsWithUsage(view, asOf, summary, options, stageAt);
    },
  };
}

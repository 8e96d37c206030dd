import fc from 'fast-check';
import type { AccountFacts } from '../../src/signals/catalog';
import type { AccountHistory } from '../../src/signals/history';
import { computeSignals, type SignalOptions } from '../../src/signals/compute';
import { historyAsOf } from '../../src/signals/history-as-of';
import { createSignalCursor } from '../../src/signals/signal-cursor';
import { summarizeUsage } from '../../src/signals/usage';
import { createUsageCursor } from '../../src/signals/usage-cursor';
import { dayMs, toEpochDay } from '../../src/store/time';
import { history, instant } from './history-arbitrary';
import { usage } from './history-builder';

/** Ascending instants from a random start, in steps of 0 to 8 days, as backtest checks come. */
const ascendingInstants = fc
  .tuple(instant, fc.array(fc.integer({ min: 0, max: 8 * dayMs }), { minLength: 1, maxLength: 60 }))
  .map(([start, steps]) => {
    let at = start;
    return steps.map((step) => (at += step));
  });

/** Instants in any order, so that the cursor also has to go back in time. */
const anyInstants = fc.array(instant, { minLength: 1, maxLength: 20 });

/** A learned step that reads several facts, standing in for the real one. */
const options: SignalOptions = {
  enrich: (facts: AccountFacts, _history, asOf) => ({
    ...facts,
    healthScore: facts.activeDaysLast30 + facts.featureBreadth,
    isEarlyAdopter: toEpochDay(asOf) % 2 === 0,
  }),
};

/**
 * Asserts that a cursor gives what computeSignals gives at each instant, on
 * the history itself or on the view `viewOf` makes of it.
 */
function expectCursorMatches(
  history: AccountHistory,
  instants: readonly number[],
  signalOptions: SignalOptions = {},
  viewOf: (history: AccountHistory, asOf: number) => AccountHistory = (same) => same,
): void {
  const cursor = createSignalCursor(history, signalOptions);
  for (const asOf of instants) {
    const view = viewOf(history, asOf);
    expect(cursor.computeAt(view, asOf)).toStrictEqual(computeSignals(view, asOf, signalOptions));
  }
}

describe('createSignalCursor', () => {
  it('matches computeSignals day by day', () => {
    fc.assert(
      fc.property(history, ascendingInstants, (generated, instants) => {
        expectCursorMatches(generated, instants);
      }),
      { numRuns: 300 },
    );
  });

  it('matches computeSignals in any order', () => {
    fc.assert(
      fc.property(history, anyInstants, (generated, instants) => {
        expectCursorMatches(generated, instants);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the key order of computeSignals', () => {
    fc.assert(
      fc.property(history, ascendingInstants, (generated, instants) => {
        const cursor = createSignalCursor(generated);
        for (const asOf of instants) {
          const direct = JSON.stringify(computeSignals(generated, asOf));
          expect(JSON.stringify(cursor.computeAt(generated, asOf))).toBe(direct);
        }
      }),
    );
  });

  it('passes the enrich option through', () => {
    fc.assert(
      fc.property(history, ascendingInstants, (generated, instants) => {
        expectCursorMatches(generated, instants, options);
      }),
      { numRuns: 100 },
    );
  });

  it('matches computeSignals on a historyAsOf view', () => {
    fc.assert(
      fc.property(history, ascendingInstants, (generated, instants) => {
        expectCursorMatches(generated, instants, {}, historyAsOf);
      }),
      { numRuns: 100 },
    );
  });

  it('reads a view with other usage rows', () => {
    fc.assert(
      fc.property(history, instant, (generated, asOf) => {
        const cursor = createSignalCursor(generated);
        const other = { ...generated, usageDaily: [usage(toEpochDay(asOf), 'u1-0', 'a0', 4)] };
        expect(cursor.computeAt(other, asOf)).toStrictEqual(computeSignals(other, asOf));
      }),
      { numRuns: 100 },
    );
  });
});

describe('createUsageCursor', () => {
  it('matches summarizeUsage day by day', () => {
    fc.assert(
      fc.property(history, ascendingInstants, (generated, instants) => {
        const cursor = createUsageCursor(generated.usageDaily);
        for (const asOf of instants) {
          const day = toEpochDay(asOf);
          expect(cursor.summarize(day)).toEqual(summarizeUsage(generated.usageDaily, day));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('counts a day once across rows', () => {
    const rows = [usage(0, 'u1', 'a', 2), usage(0, 'u1', 'b', 3), usage(0, '', '', 1)];
    const summary = createUsageCursor(rows).summarize(rows[0]!.day);
    expect(summary.activeDaysLast30).toBe(1);
    expect(summary.eventsLast14).toBe(6);
    expect(summary.featuresUsedLast30).toBe(2);
  });

  it('skips rows without events', () => {
    const rows = [usage(0, 'u1', 'a', 0), usage(1, 'u2', 'b', 1)];
    const summary = createUsageCursor(rows).summarize(rows[1]!.day);
    expect(summary.firstActiveDayByUser.has('u1')).toBe(false);
    expect(summary.lastActiveDay).toBe(rows[1]!.day);
  });
});

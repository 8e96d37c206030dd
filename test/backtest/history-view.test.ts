import fc from 'fast-check';
import { createHistoryView } from '../../src/backtest/history-view';
import { historyAsOf } from '../../src/signals/history-as-of';
import type { AccountHistory } from '../../src/signals/history';
import { dayMs } from '../../src/store/time';
import { history, instant } from '../signals/history-arbitrary';
import { at, contract, historyWith } from '../signals/history-builder';

/** Random histories whose terms may have an outcome, known from some instant on. */
const withOutcomes: fc.Arbitrary<AccountHistory> = fc
  .tuple(history, fc.array(fc.option(instant, { nil: null }), { maxLength: 3 }))
  .map(([generated, outcomes]) => ({
    ...generated,
    contracts: generated.contracts.map((row, index) => {
      const outcomeAt = outcomes[index] ?? null;
      return outcomeAt === null ? row : { ...row, outcome: 'churned', outcome_at: outcomeAt };
    }),
  }));

/** Asserts that the cached view equals historyAsOf at each instant, in the order given. */
function expectViewsMatch(history: AccountHistory, instants: readonly number[]): void {
  const viewAt = createHistoryView(history);
  for (const asOf of instants) expect(viewAt(asOf)).toEqual(historyAsOf(history, asOf));
}

const instants = fc.array(instant, { minLength: 1, maxLength: 30 });

describe('createHistoryView', () => {
  it('matches historyAsOf in time order', () => {
    fc.assert(
      fc.property(withOutcomes, instants, (generated, list) => {
        // The instants where the view changes are the likeliest to go wrong, so they are added.
        const changes = generated.contracts.flatMap((term) => [
          term.start_at,
          term.outcome_at ?? 0,
        ]);
        expectViewsMatch(
          generated,
          [...list, ...changes].sort((left, right) => left - right),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('matches historyAsOf in any order', () => {
    fc.assert(fc.property(withOutcomes, instants, expectViewsMatch), { numRuns: 300 });
  });

  it('reuses the view within a term', () => {
    const single = historyWith({ contracts: [contract(1, at(0), at(365), 1)] });
    const viewAt = createHistoryView(single);
    expect(viewAt(at(10))).toBe(viewAt(at(200)));
  });

  it('shows the outcome once known', () => {
    const term = { ...contract(1, at(0), at(365), 1), outcome: 'churned' as const };
    const viewAt = createHistoryView(historyWith({ contracts: [{ ...term, outcome_at: at(90) }] }));
    expect(viewAt(at(90) - dayMs).contracts[0]?.outcome).toBeNull();
    expect(viewAt(at(90)).contracts[0]?.outcome).toBe('churned');
  });
});

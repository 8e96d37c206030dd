import { AsOfBeforeAccountError, accountStart } from '../../src/signals/account-start';
import { computeSignals } from '../../src/signals/compute';
import { at, contract, historyWith } from './history-builder';

describe('signals before the account existed', () => {
  it('throws AsOfBeforeAccountError', () => {
    expect(() => computeSignals(historyWith({}), at(-1))).toThrow(AsOfBeforeAccountError);
  });

  it('names the account and the creation date', () => {
    expect(() => computeSignals(historyWith({}), at(-30))).toThrow(
      'Account "acme" did not exist on 2026-01-31: it was created on 2026-03-02. ' +
        'Pick an as-of date on or after 2026-03-02.',
    );
  });

  it('gives the instant asked for in full when it has a time', () => {
    expect(() => computeSignals(historyWith({}), at(-1, 6))).toThrow(
      'did not exist at 2026-03-01T06:00:00.000Z',
    );
  });

  it('accepts the creation day before the creation hour', () => {
    const later = historyWith({});
    later.account.created_at = at(0, 15);
    expect(computeSignals(later, at(0)).accountAgeDays).toBe(0);
  });

  it('starts with a term stored before the creation', () => {
    const early = historyWith({ contracts: [contract(1, at(-10), at(355), 2)] });
    expect(accountStart(early)).toBe(at(-10));
  });

  it('accepts a day of that earlier term', () => {
    const early = historyWith({ contracts: [contract(1, at(-10), at(355), 2)] });
    expect(computeSignals(early, at(-5)).accountAgeDays).toBe(5);
  });

  it('names that term in the error', () => {
    const early = historyWith({ contracts: [contract(1, at(-10), at(355), 2)] });
    expect(() => computeSignals(early, at(-11))).toThrow(
      'its first term started on 2026-02-20. Pick an as-of date on or after 2026-02-20.',
    );
  });

  it('carries the fields of the error', () => {
    const error = captureError(() => computeSignals(historyWith({}), at(-2)));
    expect(error).toMatchObject({ accountId: 'acme', asOf: at(-2), accountStart: at(0) });
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

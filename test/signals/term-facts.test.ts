import { computeSignals } from '../../src/signals/compute';
import { at, contract, historyWith } from './history-builder';

describe('current term', () => {
  const first = contract(1, at(0), at(365), 10);
  const second = contract(2, at(365), at(730), 20);

  it('is the latest started contract', () => {
    const facts = computeSignals(historyWith({ contracts: [first, second] }), at(400));
    expect(facts.termNumber).toBe(2);
  });

  it('ignores a contract starting after asOf', () => {
    const facts = computeSignals(historyWith({ contracts: [first, second] }), at(364, 23));
    expect(facts.termNumber).toBe(1);
  });

  it('starts at its start instant', () => {
    const facts = computeSignals(historyWith({ contracts: [first, second] }), at(365));
    expect(facts.termNumber).toBe(2);
  });

  it('is 0 before any contract', () => {
    const facts = computeSignals(historyWith({ contracts: [second] }), at(10));
    expect(facts.termNumber).toBe(0);
  });
});

describe('accountAgeDays', () => {
  const term = contract(1, at(0), at(365), 10);

  it('counts whole days since the term start', () => {
    const facts = computeSignals(historyWith({ contracts: [term] }), at(14, 23));
    expect(facts.accountAgeDays).toBe(14);
  });

  it('is 0 on the first day', () => {
    const facts = computeSignals(historyWith({ contracts: [term] }), at(0, 5));
    expect(facts.accountAgeDays).toBe(0);
  });

  it('restarts with the next term', () => {
    const next = contract(2, at(365), at(730), 10);
    const facts = computeSignals(historyWith({ contracts: [term, next] }), at(370));
    expect(facts.accountAgeDays).toBe(5);
  });

  it('falls back to account creation', () => {
    expect(computeSignals(historyWith({}), at(9)).accountAgeDays).toBe(9);
  });
});

describe('daysToRenewal', () => {
  const term = contract(1, at(0), at(365), 10);

  it('counts whole days to the renewal date', () => {
    const facts = computeSignals(historyWith({ contracts: [term] }), at(275));
    expect(facts.daysToRenewal).toBe(90);
  });

  it('is negative once passed', () => {
    const facts = computeSignals(historyWith({ contracts: [term] }), at(365, 1));
    expect(facts.daysToRenewal).toBe(-1);
  });

  it('is null without a term', () => {
    expect(computeSignals(historyWith({}), at(10)).daysToRenewal).toBeNull();
  });
});

describe('stored account fields', () => {
  const facts = computeSignals(historyWith({}), at(10));

  it('derives the stage rather than copying it', () => {
    // Stored as adoption, but 10 days in with no milestone done the lifecycle is still onboarding.
    expect(facts.stage).toBe('onboarding');
  });

  it('passes the plan through', () => {
    expect(facts.plan).toBe('pro');
  });

  it('passes the account id through', () => {
    expect(facts.accountId).toBe('acme');
  });
});

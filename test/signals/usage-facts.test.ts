import { computeSignals } from '../../src/signals/compute';
import { at, contract, historyWith, usage, user } from './history-builder';

// asOf is day 40 of the term at noon, so day offsets 34..40 are "the last 7 days".
const asOf = at(40, 12);
const term = contract(1, at(0), at(365), 4);

describe('activeDaysLast7', () => {
  it('counts the asOf day', () => {
    const facts = computeSignals(historyWith({ usageDaily: [usage(40, 'u1', '')] }), asOf);
    expect(facts.activeDaysLast7).toBe(1);
  });

  it('ignores the day after asOf', () => {
    const facts = computeSignals(historyWith({ usageDaily: [usage(41, 'u1', '')] }), asOf);
    expect(facts.activeDaysLast7).toBe(0);
  });

  it('counts the seventh day back', () => {
    const facts = computeSignals(historyWith({ usageDaily: [usage(34, 'u1', '')] }), asOf);
    expect(facts.activeDaysLast7).toBe(1);
  });

  it('ignores the eighth day back', () => {
    const facts = computeSignals(historyWith({ usageDaily: [usage(33, 'u1', '')] }), asOf);
    expect(facts.activeDaysLast7).toBe(0);
  });

  it('counts a day once across users and features', () => {
    const rows = [usage(38, 'u1', ''), usage(38, 'u2', 'reports'), usage(39, 'u1', 'reports')];
    const facts = computeSignals(historyWith({ usageDaily: rows }), asOf);
    expect(facts.activeDaysLast7).toBe(2);
  });
});

describe('activeDaysLast30', () => {
  it('spans days 11..40', () => {
    const rows = [
      usage(10, 'u1', ''),
      usage(11, 'u1', ''),
      usage(25, 'u1', ''),
      usage(40, 'u1', ''),
    ];
    const facts = computeSignals(historyWith({ usageDaily: rows }), asOf);
    expect(facts.activeDaysLast30).toBe(3);
  });

  it('skips rows with a zero count', () => {
    const facts = computeSignals(historyWith({ usageDaily: [usage(40, 'u1', '', 0)] }), asOf);
    expect(facts.activeDaysLast30).toBe(0);
  });
});

describe('activeUsersLast30', () => {
  it('counts distinct named users', () => {
    const rows = [
      usage(12, 'u1', ''),
      usage(20, 'u1', 'x'),
      usage(30, 'u2', ''),
      usage(30, '', ''),
    ];
    const facts = computeSignals(historyWith({ usageDaily: rows }), asOf);
    expect(facts.activeUsersLast30).toBe(2);
  });
});

describe('seatUtilization', () => {
  it('divides active users by seats', () => {
    const rows = [usage(40, 'u1', ''), usage(40, 'u2', ''), usage(40, 'u3', '')];
    const facts = computeSignals(historyWith({ contracts: [term], usageDaily: rows }), asOf);
    expect(facts.seatUtilization).toBe(0.75);
  });

  it('caps at 1', () => {
    const rows = ['a', 'b', 'c', 'd', 'e'].map((id) => usage(40, id, ''));
    const facts = computeSignals(historyWith({ contracts: [term], usageDaily: rows }), asOf);
    expect(facts.seatUtilization).toBe(1);
  });

  it('is null without seats', () => {
    const noSeats = contract(1, at(0), at(365), null);
    const facts = computeSignals(historyWith({ contracts: [noSeats] }), asOf);
    expect(facts.seatUtilization).toBeNull();
  });

  it('is null with zero seats', () => {
    const zeroSeats = contract(1, at(0), at(365), 0);
    const facts = computeSignals(historyWith({ contracts: [zeroSeats] }), asOf);
    expect(facts.seatUtilization).toBeNull();
  });

  it('is null without a contract', () => {
    expect(computeSignals(historyWith({}), asOf).seatUtilization).toBeNull();
  });
});

describe('daysSinceLastActive', () => {
  it('is 0 for activity on the asOf day', () => {
    const facts = computeSignals(historyWith({ usageDaily: [usage(40, 'u1', '')] }), asOf);
    expect(facts.daysSinceLastActive).toBe(0);
  });

  it('counts days back to the last activity', () => {
    const rows = [usage(5, 'u1', ''), usage(31, 'u1', ''), usage(45, 'u1', '')];
    const facts = computeSignals(historyWith({ usageDaily: rows }), asOf);
    expect(facts.daysSinceLastActive).toBe(9);
  });

  it('is null with no activity', () => {
    const facts = computeSignals(historyWith({ usageDaily: [usage(41, 'u1', '')] }), asOf);
    expect(facts.daysSinceLastActive).toBeNull();
  });
});

describe('featuresUsedLast30', () => {
  it('counts distinct features, not logins', () => {
    const rows = [
      usage(10, 'u1', 'old'),
      usage(20, 'u1', 'reports'),
      usage(21, 'u2', 'reports'),
      usage(22, 'u1', 'export'),
      usage(23, 'u1', ''),
      usage(41, 'u1', 'future'),
    ];
    const facts = computeSignals(historyWith({ usageDaily: rows }), asOf);
    expect(facts.featuresUsedLast30).toBe(2);
  });
});

describe('usageTrend', () => {
  it('divides the last 14 days by the 14 before', () => {
    // Days 27..40 are the last 14, days 13..26 the 14 before.
    const rows = [usage(13, 'u1', '', 4), usage(26, 'u1', '', 6), usage(27, 'u1', '', 5)];
    const facts = computeSignals(historyWith({ usageDaily: rows }), asOf);
    expect(facts.usageTrend).toBe(0.5);
  });

  it('ignores rows outside both windows', () => {
    const rows = [usage(12, 'u1', '', 100), usage(20, 'u1', '', 2), usage(40, 'u1', '', 3)];
    const withFuture = [...rows, usage(41, 'u1', '', 100)];
    const facts = computeSignals(historyWith({ usageDaily: withFuture }), asOf);
    expect(facts.usageTrend).toBe(1.5);
  });

  it('is null when both windows are empty', () => {
    expect(computeSignals(historyWith({}), asOf).usageTrend).toBeNull();
  });

  it('equals recent events when the earlier window is empty', () => {
    const facts = computeSignals(historyWith({ usageDaily: [usage(40, 'u1', '', 7)] }), asOf);
    expect(facts.usageTrend).toBe(7);
  });

  it('is 0 when the last 14 days are empty', () => {
    const facts = computeSignals(historyWith({ usageDaily: [usage(20, 'u1', '', 7)] }), asOf);
    expect(facts.usageTrend).toBe(0);
  });
});

describe('empty account', () => {
  const facts = computeSignals(historyWith({ users: [user('u1', 'admin')] }), asOf);

  it('has no active days', () => {
    expect(facts.activeDaysLast30).toBe(0);
  });

  it('has no active users', () => {
    expect(facts.activeUsersLast30).toBe(0);
  });

  it('has no features used', () => {
    expect(facts.featuresUsedLast30).toBe(0);
  });

  it('has breadth 0', () => {
    expect(facts.featureBreadth).toBe(0);
  });
});

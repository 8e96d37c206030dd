import { expectedCadence } from '../../src/signals/cadence';
import { computeSignals } from '../../src/signals/compute';
import { at, historyWith, usage, user } from './history-builder';

// The last 28 days before asOf are days 33..60.
const asOf = at(60, 12);

function activeOn(userId: string, days: number[]) {
  return days.map((day) => usage(day, userId, ''));
}

describe('expectedCadence', () => {
  it('uses the role default', () => {
    expect(expectedCadence('analyst')).toBe(4);
  });

  it('uses the unknown-role default', () => {
    expect(expectedCadence('auditor')).toBe(2);
  });

  it('ignores prototype names', () => {
    expect(expectedCadence('constructor')).toBe(2);
  });

  it('prefers an override', () => {
    expect(expectedCadence('admin', { roleCadence: { admin: 5 } })).toBe(5);
  });

  it('takes an unknown-role override', () => {
    expect(expectedCadence('auditor', { unknownRoleCadence: 1 })).toBe(1);
  });
});

describe('userCadence', () => {
  const users = [user('admin1', 'admin'), user('user1', 'user'), user('analyst1', 'analyst')];
  const rows = [
    ...activeOn('admin1', [33, 40, 47, 54]),
    ...activeOn('user1', [34, 35, 36, 41, 42, 43, 48, 49, 50, 55, 56, 57]),
    ...activeOn('analyst1', [32, 40, 61, 62]),
  ];
  const facts = computeSignals(historyWith({ users, usageDaily: rows }), asOf);

  it('measures active days per week', () => {
    expect(facts.userCadence.map((entry) => entry.activeDaysPerWeek)).toEqual([1, 3, 0.25]);
  });

  it('sets the expected cadence per role', () => {
    expect(facts.userCadence.map((entry) => entry.expectedDaysPerWeek)).toEqual([1, 3, 4]);
  });

  it('flags users meeting the cadence', () => {
    expect(facts.userCadence.map((entry) => entry.meetsCadence)).toEqual([true, true, false]);
  });

  it('counts users below cadence', () => {
    expect(facts.usersBelowCadence).toBe(1);
  });

  it('gives the share meeting cadence', () => {
    expect(facts.cadenceAttainment).toBeCloseTo(2 / 3, 10);
  });

  it('applies overrides from options', () => {
    const strict = computeSignals(historyWith({ users, usageDaily: rows }), asOf, {
      roleCadence: { admin: 2 },
    });
    expect(strict.usersBelowCadence).toBe(2);
  });
});

describe('cadence of new users', () => {
  it('skips users created after asOf', () => {
    const users = [user('u1', 'user'), user('late', 'user', at(61))];
    const facts = computeSignals(historyWith({ users }), asOf);
    expect(facts.userCadence.map((entry) => entry.userId)).toEqual(['u1']);
  });

  it('dates a user from the first activity', () => {
    // Stamped at import time (day 90) but active since day 47: 6 active days in 14.
    const users = [user('u1', 'user', at(90))];
    const rows = activeOn('u1', [47, 49, 51, 53, 55, 57]);
    const facts = computeSignals(historyWith({ users, usageDaily: rows }), asOf);
    expect(facts.userCadence[0]?.activeDaysPerWeek).toBe(3);
  });

  it('skips users active only after asOf', () => {
    const users = [user('u1', 'user', at(90))];
    const facts = computeSignals(historyWith({ users, usageDaily: activeOn('u1', [61]) }), asOf);
    expect(facts.userCadence).toEqual([]);
  });

  it('measures from the creation day', () => {
    // Created on day 47: a 14-day window with 6 active days is 3 per week.
    const users = [user('u1', 'user', at(47, 9))];
    const rows = activeOn('u1', [47, 49, 51, 53, 55, 57]);
    const facts = computeSignals(historyWith({ users, usageDaily: rows }), asOf);
    expect(facts.userCadence[0]?.activeDaysPerWeek).toBe(3);
  });

  it('measures at least one week', () => {
    const users = [user('u1', 'user', at(60))];
    const facts = computeSignals(historyWith({ users, usageDaily: activeOn('u1', [60]) }), asOf);
    expect(facts.userCadence[0]?.activeDaysPerWeek).toBe(1);
  });
});

describe('cadence without users', () => {
  const facts = computeSignals(historyWith({ usageDaily: activeOn('ghost', [60]) }), asOf);

  it('has no entries', () => {
    expect(facts.userCadence).toEqual([]);
  });

  it('has no users below cadence', () => {
    expect(facts.usersBelowCadence).toBe(0);
  });

  it('has null attainment', () => {
    expect(facts.cadenceAttainment).toBeNull();
  });
});

describe('learned facts', () => {
  it('stay empty without enrich', () => {
    const facts = computeSignals(historyWith({}), asOf);
    expect(facts.healthScore).toBeNull();
  });

  it('come from enrich', () => {
    const facts = computeSignals(historyWith({}), asOf, {
      enrich: (base) => ({ ...base, healthScore: 80, isEarlyAdopter: true }),
    });
    expect(facts.healthScore).toBe(80);
  });
});

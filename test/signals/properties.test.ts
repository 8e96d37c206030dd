import fc from 'fast-check';
import { computeSignals } from '../../src/signals/compute';
import type { AccountHistory } from '../../src/signals/history';
import { dayMs, toEpochDay } from '../../src/store/time';
import { history, instant } from './history-arbitrary';
import { contract, feature, goal, startDay, ticket, usage, user } from './history-builder';

/** Adds rows that all lie after asOf, and completes open milestones after asOf. */
function withFutureRows(base: AccountHistory, asOf: number, seed: number): AccountHistory {
  const later = asOf + 1 + (seed % (3 * dayMs));
  const laterDay = toEpochDay(asOf) + 1 + (seed % 5) - startDay;
  return {
    ...base,
    users: [...base.users, user('future-user', 'analyst', later)],
    contracts: [...base.contracts, contract(99, later, later + 365 * dayMs, 1)],
    features: [...base.features, feature('future-feature', later, true)],
    usageDaily: [
      ...base.usageDaily,
      usage(laterDay, 'u1-0', 'a0', 9),
      usage(laterDay, 'future-user', '', 3),
      usage(laterDay + 20, 'u2-1', 'future-feature', 1),
    ],
    milestones: base.milestones.map((row) =>
      row.completed_at === null || row.completed_at > asOf ? { ...row, completed_at: later } : row,
    ),
    goals: [...base.goals, goal('future-goal', later)],
    tickets: [...base.tickets, ticket('future-ticket', later, null)],
  };
}

describe('computeSignals properties', () => {
  it('keeps every ratio within 0..1', () => {
    fc.assert(
      fc.property(history, instant, (generated, asOf) => {
        const facts = computeSignals(generated, asOf);
        const ratios = [facts.featureBreadth, facts.onboardingCompletion];
        if (facts.seatUtilization !== null) ratios.push(facts.seatUtilization);
        if (facts.cadenceAttainment !== null) ratios.push(facts.cadenceAttainment);
        for (const ratio of ratios) {
          expect(ratio).toBeGreaterThanOrEqual(0);
          expect(ratio).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('returns no negative counts', () => {
    fc.assert(
      fc.property(history, instant, (generated, asOf) => {
        const facts = computeSignals(generated, asOf);
        const counts = [
          facts.accountAgeDays,
          facts.activeDaysLast7,
          facts.activeDaysLast30,
          facts.activeUsersLast30,
          facts.featuresUsedLast30,
          facts.overdueMilestones,
          facts.goalsMet,
          facts.openTickets,
          facts.ticketsFirst30Days,
          facts.usersBelowCadence,
          facts.usageTrend ?? 0,
          facts.daysSinceLastActive ?? 0,
        ];
        expect(counts.filter((count) => count < 0 || !Number.isFinite(count))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps 7 days within 30 days', () => {
    fc.assert(
      fc.property(history, instant, (generated, asOf) => {
        const facts = computeSignals(generated, asOf);
        expect(facts.activeDaysLast7).toBeLessThanOrEqual(facts.activeDaysLast30);
      }),
    );
  });

  it('leaves the history unchanged', () => {
    fc.assert(
      fc.property(history, instant, (generated, asOf) => {
        const copy = structuredClone(generated);
        computeSignals(generated, asOf);
        expect(generated).toEqual(copy);
      }),
    );
  });

  it('ignores rows dated after asOf', () => {
    fc.assert(
      fc.property(history, instant, fc.nat(), (generated, asOf, seed) => {
        const before = computeSignals(generated, asOf);
        const after = computeSignals(withFutureRows(generated, asOf, seed), asOf);
        expect(after).toEqual(before);
      }),
      { numRuns: 500 },
    );
  });
});

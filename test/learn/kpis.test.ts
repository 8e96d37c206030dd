import {
  computeAdopterMix,
  computeAdoptionCurves,
  computeCohorts,
  computeRiskList,
  computeTimeToOnboard,
  computeTimeToValue,
  type KpiAccount,
} from '../../src/reports/kpis';
import type { AccountFacts } from '../../src/signals/catalog';

function account(
  id: string,
  facts: Partial<AccountFacts>,
  extra: Partial<KpiAccount> = {},
): KpiAccount {
  const base = {
    accountId: id,
    stage: 'adoption',
    accountAgeDays: 60,
    daysToOnboard: null,
    daysToValue: null,
    daysToRenewal: 100,
    healthScore: null,
    adopterCategories: {},
  };
  return {
    facts: { ...base, ...facts } as AccountFacts,
    termStart: 0,
    firstUseAgeDays: {},
    ended: false,
    ...extra,
  };
}

describe('computeTimeToOnboard', () => {
  const result = computeTimeToOnboard(
    [account('a', { daysToOnboard: 10 }), account('b', { daysToOnboard: 45 }), account('c', {})],
    30,
  );

  it('divides on-time by onboarded', () => {
    expect(result.kpi).toBe(0.5);
  });

  it('counts accounts not onboarded', () => {
    expect(result.notYetOnboarded).toBe(1);
  });

  it('is null with nobody onboarded', () => {
    expect(computeTimeToOnboard([account('c', {})], 30).kpi).toBeNull();
  });
});

describe('computeTimeToValue', () => {
  const result = computeTimeToValue([
    account('a', { daysToValue: 3 }),
    account('b', { daysToValue: 7 }),
    account('c', { daysToValue: 40 }),
    account('d', {}),
  ]);

  it('buckets the first week', () => {
    expect(result.histogram[0]).toEqual({ label: '0-7 days', accounts: 2 });
  });

  it('buckets a second month', () => {
    expect(result.histogram[3]!.accounts).toBe(1);
  });

  it('takes the median', () => {
    expect(result.distribution.p50).toBe(7);
  });

  it('counts accounts without value', () => {
    expect(result.notReached).toBe(1);
  });
});

describe('computeAdoptionCurves', () => {
  const curves = computeAdoptionCurves(
    [
      account('a', { accountAgeDays: 30 }, { firstUseAgeDays: { reports: 2 } }),
      account('b', { accountAgeDays: 30 }, { firstUseAgeDays: { reports: 10 } }),
      account('c', { accountAgeDays: 8 }),
    ],
    ['reports'],
    3,
  );

  it('counts first-week users among all accounts a week old', () => {
    expect(curves[0]!.shares[0]).toBeCloseTo(1 / 3, 12);
  });

  it('leaves out accounts too young for the week', () => {
    expect(curves[0]!.shares[1]).toBe(1);
  });
});

describe('computeAdopterMix', () => {
  it('counts categories per feature', () => {
    const mix = computeAdopterMix(
      [
        account('a', { adopterCategories: { reports: 'innovator' } }),
        account('b', { adopterCategories: { reports: 'laggard' } }),
      ],
      ['reports'],
    );
    expect(mix[0]!.counts).toEqual({
      innovator: 1,
      early_adopter: 0,
      early_majority: 0,
      late_majority: 0,
      laggard: 1,
    });
  });
});

describe('computeCohorts', () => {
  const cohorts = computeCohorts([
    { startAt: Date.UTC(2024, 0, 5), outcome: 'renewed' },
    { startAt: Date.UTC(2024, 0, 20), outcome: 'churned' },
    { startAt: Date.UTC(2024, 0, 21), outcome: null },
    { startAt: Date.UTC(2024, 1, 1), outcome: 'expanded' },
  ]);

  it('groups by start month', () => {
    expect(cohorts.map((row) => row.cohort)).toEqual(['2024-01', '2024-02']);
  });

  it('rates renewals among ended terms', () => {
    expect(cohorts[0]!.renewalRate).toBe(0.5);
  });

  it('counts expansions as renewals', () => {
    expect(cohorts[1]!.renewed).toBe(1);
  });
});

describe('computeRiskList', () => {
  const list = computeRiskList(
    [
      account(
        'a',
        { healthScore: 30, adopterCategories: { reports: 'innovator', api: 'laggard' } },
        { healthContributions: { activeDaysLast7: -1, openTickets: -2, goalsMet: 1 } },
      ),
      account('b', { healthScore: 10 }),
      account('c', { healthScore: 80 }),
      account('d', { healthScore: 5 }, { ended: true }),
    ],
    40,
  );

  it('lists low scores lowest first', () => {
    expect(list.map((entry) => entry.accountId)).toEqual(['b', 'a']);
  });

  it('names the weakest signals', () => {
    expect(list[1]!.weakestSignals).toEqual(['openTickets', 'activeDaysLast7']);
  });

  it('shows early-adopted features', () => {
    expect(list[1]!.earlyAdopterOf).toEqual(['reports']);
  });
});

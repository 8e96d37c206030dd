import { learnBenchmarks, findWeek, type OutcomeSample } from '../../src/learn/benchmark-set';
import { computePercentiles, scoreHealth } from '../../src/learn/health-score';

/** Renewed accounts are active more days; churned ones have more open tickets. */
function makeSamples(): OutcomeSample[] {
  const samples: OutcomeSample[] = [];
  for (let i = 0; i < 40; i += 1) {
    const renewed = i % 2 === 0;
    for (const week of [1, 2]) {
      samples.push({
        accountId: `a${i}`,
        week,
        renewed,
        values: {
          activeDaysLast7: renewed ? 4 + (i % 4) : i % 4,
          openTickets: renewed ? 0 : 1 + (i % 3),
          usageTrend: null,
        },
      });
    }
  }
  return samples;
}

const signals = ['activeDaysLast7', 'openTickets', 'usageTrend'];
const payload = learnBenchmarks(makeSamples(), signals);

describe('learnBenchmarks', () => {
  const week = findWeek(payload, 1)!;

  it('learns one entry per week', () => {
    expect(payload.weeks.map((w) => w.week)).toEqual([1, 2]);
  });

  it('counts renewed accounts', () => {
    expect(payload.renewedAccounts).toBe(20);
  });

  it('computes a separating AUC', () => {
    expect(week.signals.activeDaysLast7!.auc).toBe(1);
  });

  it('marks open tickets lower-is-healthier', () => {
    expect(week.signals.openTickets!.threshold!.healthier).toBe('lower');
  });

  it('skips null values in distributions', () => {
    expect(week.signals.usageTrend!.renewed.n).toBe(0);
  });

  it('weights activity positively', () => {
    expect(payload.health.weights.activeDaysLast7).toBeGreaterThan(0);
  });

  it('weights open tickets negatively', () => {
    expect(payload.health.weights.openTickets).toBeLessThan(0);
  });

  it('fits the training samples', () => {
    expect(payload.health.trainingAuc).toBe(1);
  });
});

describe('scoreHealth', () => {
  const healthy = scoreHealth(payload, 10, { activeDaysLast7: 7, openTickets: 0 })!;
  const risky = scoreHealth(payload, 10, { activeDaysLast7: 0, openTickets: 3 })!;

  it('scores a healthy account above 50', () => {
    expect(healthy.score).toBeGreaterThan(50);
  });

  it('scores a risky account below 50', () => {
    expect(risky.score).toBeLessThan(50);
  });

  it('uses the last week for older accounts', () => {
    expect(scoreHealth(payload, 400, {})!.week).toBe(2);
  });

  it('explains each signal', () => {
    expect(Object.keys(healthy.contributions).sort()).toEqual([...signals].sort());
  });
});

describe('computePercentiles', () => {
  it('places a value among renewed accounts', () => {
    // Renewed accounts (even i) have 4 or 6 active days, ten of each, so 5 sits in the middle.
    expect(computePercentiles(payload, 7, { activeDaysLast7: 5 }).activeDaysLast7).toBeCloseTo(
      50,
      0,
    );
  });

  it('leaves out missing values', () => {
    expect(computePercentiles(payload, 7, { activeDaysLast7: 5 }).openTickets).toBeUndefined();
  });
});

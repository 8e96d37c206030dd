import fc from 'fast-check';
import { replayAccount } from '../../src/backtest/replay';
import type { RuleEngine } from '../../src/lifecycle/rule-engine';
import { accountStart } from '../../src/signals/account-start';
import { computeSignals } from '../../src/signals/compute';
import type { AccountHistory } from '../../src/signals/history';
import type { Contract } from '../../src/store/schema';
import { history, instant } from './history-arbitrary';
import { at, contract, historyWith, milestone } from './history-builder';

/** An engine under which no rule fires, so only the stage logic moves the account. */
const quietRules: RuleEngine = {
  current: () => ({ ok: true, version: 'none', ruleSet: null }),
  evaluate: () => ({ fired: [], notFired: [] }),
};

function ended(term: Contract, outcome: Contract['outcome'], outcomeAt: number): Contract {
  return { ...term, outcome, outcome_at: outcomeAt, status: 'ended' };
}

/** Builds a 270-day course term, stored as onboarding, with its onboarding step done on day 18. */
function course(...terms: Contract[]): AccountHistory {
  const account = historyWith({}).account;
  return historyWith({
    account: { ...account, stage: 'onboarding' },
    contracts: terms.length > 0 ? terms : [contract(1, at(0), at(270), 1)],
    milestones: [milestone('onboarding', null, at(18)), milestone('exam', at(200), null)],
  });
}

function stageAt(history: AccountHistory, asOf: number): string {
  return computeSignals(history, asOf).stage;
}

describe('stage as of the date', () => {
  it('is onboarding before the step', () => {
    expect(stageAt(course(), at(17, 23))).toBe('onboarding');
  });

  it('is adoption once onboarding is complete', () => {
    expect(stageAt(course(), at(18))).toBe('adoption');
  });

  it('is adoption after 90 days without the step', () => {
    const open = { ...course(), milestones: [milestone('onboarding', null, null)] };
    expect(stageAt(open, at(90))).toBe('adoption');
  });

  it('is onboarding on day 89 without the step', () => {
    const open = { ...course(), milestones: [milestone('onboarding', null, null)] };
    expect(stageAt(open, at(89, 23))).toBe('onboarding');
  });

  it('is adoption before the renewal window', () => {
    expect(stageAt(course(), at(170))).toBe('adoption');
  });

  it('is renewal inside the 90-day window', () => {
    expect(stageAt(course(), at(190))).toBe('renewal');
  });

  it('is renewed after a renewed outcome', () => {
    const renewed = course(ended(contract(1, at(0), at(270), 1), 'renewed', at(270)));
    expect(stageAt(renewed, at(635))).toBe('renewed');
  });

  it('is churned after a churned outcome', () => {
    const churned = course(ended(contract(1, at(0), at(270), 1), 'churned', at(150)));
    expect(stageAt(churned, at(151))).toBe('churned');
  });

  it('ignores an outcome not yet known', () => {
    const churned = course(ended(contract(1, at(0), at(270), 1), 'churned', at(150)));
    expect(stageAt(churned, at(149))).toBe('adoption');
  });

  it('is adoption in a second term', () => {
    const first = ended(contract(1, at(0), at(270), 1), 'renewed', at(270));
    expect(stageAt(course(first, contract(2, at(270), at(635), 1)), at(300))).toBe('adoption');
  });

  it('churns at the check after a renewal', () => {
    // The check that starts term 2 makes one transition, so the known churn waits one check.
    const first = ended(contract(1, at(0), at(30), 1), 'renewed', at(30));
    const second = ended(contract(2, at(30), at(395), 1), 'churned', at(30));
    expect(stageAt(course(first, second), at(40))).toBe('churned');
  });

  it('ignores the stored stage', () => {
    const stored = course();
    stored.account.stage = 'churned';
    expect(stageAt(stored, at(5))).toBe('onboarding');
  });
});

/** Random histories whose terms may end renewed or churned, the outcome known from some instant. */
const withOutcomes: fc.Arbitrary<AccountHistory> = fc
  .tuple(
    history,
    fc.array(fc.tuple(fc.constantFrom('renewed', 'churned'), instant), { maxLength: 3 }),
  )
  .map(([generated, outcomes]) => ({
    ...generated,
    contracts: generated.contracts.map((row, index) => {
      const outcome = outcomes[index];
      return outcome ? ended(row, outcome[0] as Contract['outcome'], outcome[1]) : row;
    }),
  }));

/** Returns the instant the backtest stops at: the outcome of the highest term, or never. */
function historyEnd(history: AccountHistory): number {
  const last = [...history.contracts].sort((a, b) => b.term_number - a.term_number)[0];
  return last?.outcome_at ?? Infinity;
}

describe('stage and the backtest', () => {
  it('agrees with a backtest from the first day', () => {
    fc.assert(
      fc.property(withOutcomes, instant, (generated, asOf) => {
        const first = Math.min(...generated.contracts.map((term) => term.start_at));
        // The backtest replays only from the first term's start to the last outcome.
        fc.pre(asOf >= first && asOf < historyEnd(generated));
        const replay = replayAccount(generated, {
          from: accountStart(generated),
          to: asOf,
          rules: quietRules,
          ruleSet: { version: 'none', ruleSet: null },
        });
        const stage = stageAt(generated, asOf);
        // Between a renewed term and the next one the backtest is already in the next term.
        expect(stage === 'renewed' ? 'adoption' : stage).toBe(replay.finalStage);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees on a hand-built course day by day', () => {
    const term = ended(contract(1, at(0), at(270), 1), 'churned', at(260));
    const generated = course(term);
    for (let day = 0; day < 260; day += 1) {
      const asOf = at(day, 12);
      const replay = replayAccount(generated, {
        from: at(0),
        to: asOf,
        rules: quietRules,
        ruleSet: { version: 'none', ruleSet: null },
      });
      expect(`${day}: ${stageAt(generated, asOf)}`).toBe(`${day}: ${replay.finalStage}`);
    }
  });

  it('runs checks from creation before the first term starts', () => {
    // No term has started by day 100, so the 90 onboarding days count from the creation.
    const later = historyWith({ contracts: [contract(1, at(200), at(565), 1)] });
    expect(stageAt(later, at(100))).toBe('adoption');
  });

  it('starts again at the first term once it starts', () => {
    const later = historyWith({ contracts: [contract(1, at(200), at(565), 1)] });
    expect(stageAt(later, at(201))).toBe('onboarding');
  });
});

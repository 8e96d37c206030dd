import { replayAccount, type ReplaySettings } from '../../src/backtest/replay';
import type { RuleEngine } from '../../src/lifecycle/rule-engine';
import type { AccountHistory } from '../../src/signals/history';
import { at, contract, historyWith, milestone } from '../signals/history-builder';

/** An engine under which no rule fires, so only the stage logic moves the account. */
const quietRules: RuleEngine = {
  current: () => ({ ok: true, version: 'none', ruleSet: null }),
  evaluate: () => ({ fired: [], notFired: [] }),
};

/** Builds a 270-day course term with an onboarding step done on day 18 and two open assessments. */
function courseHistory(onboardingKey: string): AccountHistory {
  const account = historyWith({}).account;
  return historyWith({
    account: { ...account, stage: 'onboarding' },
    contracts: [contract(1, at(0), at(270), 1)],
    milestones: [
      milestone(onboardingKey, null, at(18)),
      milestone('assessment-1', at(19), null),
      milestone('exam', null, null),
    ],
  });
}

/** Replays from the term start to the end of day `lastDay`. */
function replayUntil(history: AccountHistory, lastDay: number) {
  const settings: ReplaySettings = {
    from: at(0),
    to: at(lastDay, 23),
    rules: quietRules,
    ruleSet: { version: 'none', ruleSet: null },
  };
  return replayAccount(history, settings);
}

describe('replayAccount onboarding', () => {
  it('stays in onboarding before the step', () => {
    expect(replayUntil(courseHistory('onboarding'), 17).finalStage).toBe('onboarding');
  });

  it('moves to adoption on the step day', () => {
    expect(replayUntil(courseHistory('onboarding'), 18).finalStage).toBe('adoption');
  });

  it('checks weekly after onboarding', () => {
    // Days 0..18 daily, then days 25 and 32 in adoption.
    expect(replayUntil(courseHistory('onboarding'), 35).checks).toBe(21);
  });

  it('waits for every milestone without the key', () => {
    expect(replayUntil(courseHistory('kickoff'), 30).finalStage).toBe('onboarding');
  });
});

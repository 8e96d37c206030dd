import { decide, nextCheckAt } from '../../src/lifecycle';
import { context, dayMs, evaluation, rule, start, state } from './fixtures';

describe('stage transitions', () => {
  it('leaves onboarding when complete', () => {
    const facts = { onboardingCompletion: 1, daysToRenewal: 300, userCadence: [] };
    const decision = decide(state(), evaluation(), context({ facts }), start);
    expect(decision.state.stage).toBe('adoption');
  });

  it('leaves onboarding after the maximum', () => {
    const decision = decide(state(), evaluation(), context(), start + 90 * dayMs);
    expect(decision.transition?.reason).toBe('onboarding longer than 90 days');
  });

  it('follows a rule stage action', () => {
    const stageRule = rule('graduate', {
      actions: [{ type: 'stage', params: { stage: 'adoption' } }],
    });
    const decision = decide(state(), evaluation(stageRule), context(), start);
    expect(decision.state.stage).toBe('adoption');
  });

  it('enters renewal inside the window', () => {
    const adoption = state({ stage: 'adoption', lastCheckAt: start + 260 * dayMs });
    const decision = decide(adoption, evaluation(), context(), start + 275 * dayMs);
    expect(decision.state.stage).toBe('renewal');
  });

  it('stays in adoption before the window', () => {
    const adoption = state({ stage: 'adoption', lastCheckAt: start + 260 * dayMs });
    const decision = decide(adoption, evaluation(), context(), start + 270 * dayMs);
    expect(decision.transition).toBeUndefined();
  });

  it('returns to adoption when renewal moves out', () => {
    const renewal = state({ stage: 'renewal', lastCheckAt: start + 280 * dayMs });
    const contract = { ...context().contract!, renewalAt: start + 600 * dayMs };
    const decision = decide(renewal, evaluation(), context({ contract }), start + 281 * dayMs);
    expect(decision.state.stage).toBe('adoption');
    expect(decision.transition?.reason).toBe(
      'renewal date 2027-08-28 is 319 days away, outside the 90-day window',
    );
  });

  it('stays in renewal inside the window', () => {
    const renewal = state({ stage: 'renewal', lastCheckAt: start + 280 * dayMs });
    const decision = decide(renewal, evaluation(), context(), start + 281 * dayMs);
    expect(decision.transition).toBeUndefined();
  });

  it('stays in renewal a rule requests', () => {
    const renewal = state({ stage: 'renewal', lastCheckAt: start + 100 * dayMs });
    const stageRule = rule('early-renewal', {
      actions: [{ type: 'stage', params: { stage: 'renewal' } }],
    });
    const decision = decide(renewal, evaluation(stageRule), context(), start + 101 * dayMs);
    expect(decision.transition).toBeUndefined();
  });

  it('churns on a churned outcome', () => {
    const renewal = state({ stage: 'renewal', lastCheckAt: start + 359 * dayMs });
    const base = context();
    const contract = { ...base.contract!, status: 'ended' as const, outcome: 'churned' as const };
    const decision = decide(renewal, evaluation(), context({ contract }), start + 360 * dayMs);
    expect(decision.state.stage).toBe('churned');
  });

  it('starts the next term on renewal', () => {
    const renewal = state({
      stage: 'renewal',
      lastCheckAt: start + 365 * dayMs,
      rules: { r1: { lastFiredAt: start, firedThisTerm: 2 } },
    });
    const contract = {
      termNumber: 2,
      startAt: start + 365 * dayMs,
      renewalAt: start + 730 * dayMs,
      status: 'active' as const,
      outcome: null,
    };
    const decision = decide(renewal, evaluation(), context({ contract }), start + 366 * dayMs);
    expect(decision.transition?.to).toBe('renewed');
    expect(decision.state.stage).toBe('adoption');
    expect(decision.state.termNumber).toBe(2);
    expect(decision.state.renewalAt).toBe(start + 730 * dayMs);
    expect(decision.state.rules.r1?.firedThisTerm).toBe(0);
  });
});

describe('nextCheckAt', () => {
  it('checks daily in onboarding', () => {
    expect(nextCheckAt(state({ lastCheckAt: start }))).toBe(start + dayMs);
  });

  it('checks weekly in adoption', () => {
    expect(nextCheckAt(state({ stage: 'adoption', lastCheckAt: start }))).toBe(start + 7 * dayMs);
  });

  it('checks at once before any check', () => {
    expect(nextCheckAt(state())).toBe(start);
  });

  it('wakes when the renewal window opens', () => {
    const renewalAt = start + 95 * dayMs;
    const adoption = state({ stage: 'adoption', lastCheckAt: start, renewalAt });
    expect(nextCheckAt(adoption)).toBe(start + 4.5 * dayMs);
  });

  it('stops for churned accounts', () => {
    expect(nextCheckAt(state({ stage: 'churned' }))).toBeNull();
  });
});

describe('first check', () => {
  it('adopts a later stored term', () => {
    const contract = {
      termNumber: 3,
      startAt: start - 100 * dayMs,
      renewalAt: start + 265 * dayMs,
      status: 'active' as const,
      outcome: null,
    };
    const decision = decide(state(), evaluation(), context({ contract }), start);
    expect(decision.state.termNumber).toBe(3);
    expect(decision.state.stage).toBe('adoption');
  });

  it('measures onboarding from term start', () => {
    const base = context();
    const contract = { ...base.contract!, startAt: start - 100 * dayMs };
    const decision = decide(state(), evaluation(), context({ contract }), start);
    expect(decision.state.stage).toBe('adoption');
  });
});

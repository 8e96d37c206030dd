import type { FiredRule, DecisionContext, DecisionPolicy, LifecycleState } from './types';
import type { StageTransition } from './types';

const dayMs = 86_400_000;

/** Creates the state of an account that has just been signed, at `now`. */
export function initialState(accountId: string, now: number): LifecycleState {
  return {
    accountId,
    stage: 'onboarding',
    termNumber: 1,
    stageEnteredAt: now,
    termStartedAt: now,
    renewalAt: null,
    checkNumber: 0,
    lastCheckAt: null,
    rules: {},
    sent: [],
  };
}

/**
 * Decides the stage change at a check, or undefined. Contract outcomes win
 * over everything else, because a churned or renewed term ends the stage
 * whatever the usage shows.
 */
export function decideTransition(
  state: LifecycleState,
  fired: FiredRule[],
  context: DecisionContext,
  policy: DecisionPolicy,
  now: number,
): StageTransition | undefined {
  const fromContract = transitionFromContract(state, context);
  if (fromContract) return fromContract;

  const requested = requestedStage(fired);
  if (requested && requested !== state.stage && isForward(state.stage, requested)) {
    return { from: state.stage, to: requested, reason: 'rule stage action' };
  }

  if (state.stage === 'onboarding') return leaveOnboarding(state, context, policy, now);
  if (state.stage === 'adoption') return enterRenewalWindow(state, context, policy, now);
  if (state.stage === 'renewal' && requested !== 'renewal') {
    return leaveRenewalWindow(state, context, policy, now);
  }
  return undefined;
}

function transitionFromContract(
  state: LifecycleState,
  context: DecisionContext,
): StageTransition | undefined {
  const contract = context.contract;
  if (!contract || state.stage === 'churned') return undefined;

  if (contract.termNumber > state.termNumber) {
    return { from: state.stage, to: 'renewed', reason: `term ${contract.termNumber} started` };
  }
  if (contract.termNumber < state.termNumber) return undefined;

  if (contract.outcome === 'churned' || contract.outcome === 'lapsed') {
    return { from: state.stage, to: 'churned', reason: `term outcome ${contract.outcome}` };
  }
  if (contract.status === 'cancelled') {
    return { from: state.stage, to: 'churned', reason: 'contract cancelled' };
  }
  if (contract.outcome === 'renewed' || contract.outcome === 'expanded') {
    return { from: state.stage, to: 'renewed', reason: `term outcome ${contract.outcome}` };
  }
  return undefined;
}

function leaveOnboarding(
  state: LifecycleState,
  context: DecisionContext,
  policy: DecisionPolicy,
  now: number,
): StageTransition | undefined {
  if (context.facts.onboardingCompletion >= 1) {
    return { from: 'onboarding', to: 'adoption', reason: 'onboarding complete' };
  }
  if (now - state.stageEnteredAt >= policy.maxOnboardingDays * dayMs) {
    return {
      from: 'onboarding',
      to: 'adoption',
      reason: `onboarding longer than ${policy.maxOnboardingDays} days`,
    };
  }
  return undefined;
}

function enterRenewalWindow(
  state: LifecycleState,
  context: DecisionContext,
  policy: DecisionPolicy,
  now: number,
): StageTransition | undefined {
  const days = daysToRenewal(state, context, now);
  if (days === null || days > policy.renewalWindowDays) return undefined;
  return {
    from: 'adoption',
    to: 'renewal',
    reason: `${days} days to renewal, window ${policy.renewalWindowDays}`,
  };
}

/**
 * Moves a renewal-stage account back to adoption when its renewal date moved
 * out (a corrected or extended contract) so that the window is closed again.
 * NOTE: an account that a rule's stage action moved into renewal before the
 * window opened goes back at the next check where that rule does not fire.
 */
function leaveRenewalWindow(
  state: LifecycleState,
  context: DecisionContext,
  policy: DecisionPolicy,
  now: number,
): StageTransition | undefined {
  const days = daysToRenewal(state, context, now);
  if (days === null || days <= policy.renewalWindowDays) return undefined;
  const renewalAt = renewalInstant(state, context);
  const date = renewalAt === null ? '' : ` ${new Date(renewalAt).toISOString().slice(0, 10)}`;
  return {
    from: 'renewal',
    to: 'adoption',
    reason: `renewal date${date} is ${days} days away, outside the ${policy.renewalWindowDays}-day window`,
  };
}

/**
 * Whole days to the renewal date, rounded down as the signals count them; the
 * state's date (moved by contract signals) comes first.
 */
export function daysToRenewal(
  state: LifecycleState,
  context: DecisionContext,
  now: number,
): number | null {
  const renewalAt = renewalInstant(state, context);
  if (renewalAt !== null) return Math.floor((renewalAt - now) / dayMs);
  const sameTerm = context.contract?.termNumber === state.termNumber;
  return sameTerm ? context.facts.daysToRenewal : null;
}

/** Returns the renewal date of the state's term: the state's own, else the stored contract's. */
function renewalInstant(state: LifecycleState, context: DecisionContext): number | null {
  if (state.renewalAt !== null) return state.renewalAt;
  // A stored contract describes an older term right after a renewal.
  const contract = context.contract;
  return contract && contract.termNumber === state.termNumber ? contract.renewalAt : null;
}

const order: Record<string, number> = { onboarding: 0, adoption: 1, renewal: 2, churned: 3 };

function isForward(from: string, to: string): boolean {
  return (order[to] ?? -1) > (order[from] ?? -1);
}

function requestedStage(fired: FiredRule[]): LifecycleState['stage'] | undefined {
  for (const rule of fired) {
    for (const action of rule.actions) {
      const target = action.type === 'stage' ? action.params.stage : undefined;
      if (target === 'adoption' || target === 'renewal' || target === 'churned') return target;
    }
  }
  return undefined;
}

/**
 * Applies a transition to the state. A renewal starts the next term in
 * adoption with the per-term counters reset; the contract's dates are taken
 * when the new term is already stored.
 */
export function applyTransition(
  state: LifecycleState,
  transition: StageTransition,
  context: DecisionContext,
  now: number,
): LifecycleState {
  if (transition.to !== 'renewed') {
    return { ...state, stage: transition.to, stageEnteredAt: now };
  }
  const next = context.contract && context.contract.termNumber > state.termNumber;
  return {
    ...state,
    stage: 'adoption',
    stageEnteredAt: now,
    termNumber: next ? context.contract!.termNumber : state.termNumber + 1,
    termStartedAt: next ? context.contract!.startAt : now,
    renewalAt: next ? context.contract!.renewalAt : null,
    rules: resetTermCounters(state.rules),
  };
}

function resetTermCounters(rules: LifecycleState['rules']): LifecycleState['rules'] {
  const reset: LifecycleState['rules'] = {};
  for (const [ruleId, record] of Object.entries(rules)) {
    reset[ruleId] = { ...record, firedThisTerm: 0 };
  }
  return reset;
}

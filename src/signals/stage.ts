import { contractChangeInstants, firstAfter } from '../backtest/history-view';
import { nextCheckAt } from '../lifecycle/cadence';
import { latestContract } from '../lifecycle/check-context';
import { decide } from '../lifecycle/decide';
import { resolvePolicy } from '../lifecycle/policy';
import { initialState } from '../lifecycle/stages';
import type { Decision, DecisionContext, DecisionPolicy, LifecycleState } from '../lifecycle/types';
import type { EpochMs } from '../store/schema';
import { dayMs } from '../store/time';
import { accountStart } from './account-start';
import type { AccountHistory } from './history';
import { historyAsOf, termAtStart } from './history-as-of';
import { isOnboardingMilestone } from './onboarding';
import { computeTermFacts } from './term';

/** Stage lookup for one account, fastest at instants in ascending order (any order works). */
export interface StageWalker {
  stageAt(asOf: EpochMs): string;
}

const noRules = { ruleSetVersion: 'signals', fired: [] };

/**
 * Creates a walker that replays the lifecycle's scheduled checks of one
 * account with no rule firing, through the decision core that the workflow
 * and the backtest use (`decide`, `nextCheckAt`). The replay starts where a
 * backtest from the account's first day starts, at the first term's start, so
 * both give the same stage at the same instant. Before any term has started,
 * it starts at the account's creation, as a backtest of an account without
 * contracts does. Each check reads the history as of its own instant, so no
 * row dated after `asOf` changes the stage.
 *
 * Checks where nothing can change are skipped on their cadence rather than
 * run: a stage changes only when a term starts or its outcome becomes known,
 * when onboarding completes or runs out of days, or when the renewal window
 * opens. Walking forward reuses the state of the previous call.
 */
export function createStageWalker(
  history: AccountHistory,
  policyOverrides: Partial<DecisionPolicy> = {},
): StageWalker {
  const policy = resolvePolicy(policyOverrides);
  const completions = onboardingCompletions(history);
  const events = changeInstants(history, completions);
  let firstTermStart = Infinity;
  for (const contract of history.contracts)
    firstTermStart = Math.min(firstTermStart, contract.start_at);
  let state: LifecycleState | undefined;
  // A check makes at most one transition, so the check after one may make another at once.
  let settled = false;
  let walkedTo = -Infinity;
  return {
    stageAt(asOf) {
      // The replay's start moves from the creation to the first term's start once that term starts.
      const moved = walkedTo < firstTermStart && asOf >= firstTermStart;
      if (state === undefined || asOf < walkedTo || moved) {
        state = startState(history, asOf);
        settled = false;
      }
      walkedTo = asOf;
      for (;;) {
        if (settled) state = skipQuietChecks(state, events, asOf, policy);
        const at = nextCheckAt(state, policy);
        if (at === null || at > asOf) break;
        const decision = checkAt(history, state, at, policy, completedShare(completions, at));
        settled = decision.transition === undefined;
        state = decision.state;
      }
      return reportedStage(history, state, asOf);
    },
  };
}

/** Returns the stage of the account as of `asOf`; see `createStageWalker`. */
export function stageAsOf(
  history: AccountHistory,
  asOf: EpochMs,
  policy: Partial<DecisionPolicy> = {},
): string {
  return createStageWalker(history, policy).stageAt(asOf);
}

/**
 * Returns the state a backtest from the account's first day begins with, knowing only
 * the terms started by `asOf`: at the first term's start, or at the account's
 * creation before any term has started.
 */
function startState(history: AccountHistory, asOf: EpochMs): LifecycleState {
  const started = history.contracts.filter((contract) => contract.start_at <= asOf);
  const term = termAtStart({ ...history, contracts: started }, accountStart(history));
  const start = term?.start_at ?? history.account.created_at;
  return { ...initialState(history.account.id, start), termNumber: term?.term_number ?? 1 };
}

/**
 * Runs one check with no rule firing, on the history as the check would have
 * seen it, with the onboardingCompletion fact at `at` given by the caller.
 */
function checkAt(
  history: AccountHistory,
  state: LifecycleState,
  at: EpochMs,
  policy: DecisionPolicy,
  onboardingCompletion: number,
): Decision {
  const view = historyAsOf(history, at);
  const term = computeTermFacts(view.account, view.contracts, at);
  const context: DecisionContext = {
    workflowId: `account-${history.account.id}`,
    checkNumber: state.checkNumber + 1,
    accountId: history.account.id,
    accountTimezone: history.account.timezone,
    csmOwner: history.account.csm_owner,
    // Recipients matter only to fired rules, and none fire here.
    users: [],
    facts: {
      onboardingCompletion,
      daysToRenewal: term.daysToRenewal,
      userCadence: [],
    },
    contract: latestContract(view),
    policy,
  };
  return decide(state, noRules, context, at);
}

/**
 * Moves `lastCheckAt` over the checks on the stage's cadence that come before
 * the next instant at which a check could change the stage, or after `asOf`.
 * Called only after a check that changed nothing, such checks change nothing
 * but `lastCheckAt` either, so the result equals running them.
 */
function skipQuietChecks(
  state: LifecycleState,
  events: readonly number[],
  asOf: EpochMs,
  policy: DecisionPolicy,
): LifecycleState {
  const last = state.lastCheckAt;
  if (last === null || state.stage === 'churned') return state;
  const step = policy.cadenceDays[state.stage] * dayMs;
  const until = Math.min(firstAfter(events, last), stageDeadline(state, policy), asOf + 1);
  const skipped = Math.ceil((until - last) / step) - 1;
  // No one but the walker refers to its state, so it is moved in place rather than copied.
  if (skipped > 0) state.lastCheckAt = last + skipped * step;
  return state;
}

/**
 * Returns the earliest instant at which the stage's own limit may move the account:
 * the onboarding days running out, or (one day early, to stay on the safe
 * side of rounding) the renewal window opening.
 */
function stageDeadline(state: LifecycleState, policy: DecisionPolicy): number {
  if (state.stage === 'onboarding') return state.stageEnteredAt + policy.maxOnboardingDays * dayMs;
  if (state.stage === 'adoption' && state.renewalAt !== null) {
    return state.renewalAt - (policy.renewalWindowDays + 1) * dayMs;
  }
  return Infinity;
}

/** Sorted instants at which a term starts, a term outcome becomes known, or onboarding completes. */
function changeInstants(history: AccountHistory, completions: readonly number[]): number[] {
  const instants = contractChangeInstants(history);
  // Onboarding ends on completion only once every step is done, so earlier completions change nothing.
  const completedAt = completions.length > 0 ? Math.max(...completions) : Infinity;
  if (completedAt !== Infinity) instants.push(completedAt);
  return instants.sort((left, right) => left - right);
}

/**
 * Returns the completion instants of the onboarding milestones (Infinity for
 * an open one), chosen as `computeOnboardingFacts` chooses them.
 */
function onboardingCompletions(history: AccountHistory): number[] {
  const flagged = history.milestones.filter(isOnboardingMilestone);
  const onboarding = flagged.length > 0 ? flagged : history.milestones;
  return onboarding.map((milestone) => milestone.completed_at ?? Infinity);
}

/** Returns the onboardingCompletion fact at `at`: the share of the instants not later than `at`. */
function completedShare(completions: readonly number[], at: EpochMs): number {
  if (completions.length === 0) return 0;
  let done = 0;
  for (const completedAt of completions) if (completedAt <= at) done += 1;
  return done / completions.length;
}

/**
 * Returns the stage the signals report. The lifecycle starts the next term in
 * adoption as soon as a term ends renewed. Until that term is stored and
 * started, the signals report `renewed`, because the other facts
 * (termNumber, daysToRenewal) still describe the term that ended.
 */
function reportedStage(history: AccountHistory, state: LifecycleState, asOf: EpochMs): string {
  if (state.stage !== 'adoption') return state.stage;
  const latest = latestContract(historyAsOf(history, asOf));
  const ended = latest?.outcome === 'renewed' || latest?.outcome === 'expanded';
  return ended && state.termNumber > latest.termNumber ? 'renewed' : state.stage;
}

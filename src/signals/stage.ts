import { contractChangeInstants, firstAfter } from '../backtest/history-view';
import { nextCheckAt } from '../lifecycle/cadence';
import { latestContract } from '../lifecycle/check-context';
import { decide } from '../lifecycle/decide';
import { resolvePolicy } from '../lifecycle/policy';
import { initialState } from '../lifecycle/stages';
import type { DecisionContext, DecisionPolicy, LifecycleState } from '../lifecycle/types';
import type { EpochMs } from '../store/schema';
import { dayMs } from '../store/time';
import { accountStart } from './account-start';
import type { AccountHistory } from './history';
import { historyAsOf, termAtStart } from './history-as-of';
import { computeOnboardingFacts, isOnboardingMilestone } from './onboarding';
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
  const events = changeInstants(history);
  const firstTermStart = Math.min(...history.contracts.map((contract) => contract.start_at));
  let state = startState(history, -Infinity);
  let walkedTo = -Infinity;
  return {
    stageAt(asOf) {
      // The replay's start moves from the creation to the first term's start once that term starts.
      const restart = asOf < walkedTo || (walkedTo < firstTermStart && asOf >= firstTermStart);
      if (restart) state = startState(history, asOf);
      walkedTo = asOf;
      for (;;) {
        state = skipQuietChecks(state, events, asOf, policy);
        const at = nextCheckAt(state, policy);
        if (at === null || at > asOf) break;
        state = checkAt(history, state, at, policy);
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
  const term = termAtStart(historyAsOf(history, asOf), accountStart(history));
  const start = term?.start_at ?? history.account.created_at;
  return { ...initialState(history.account.id, start), termNumber: term?.term_number ?? 1 };
}

/** Runs one check with no rule firing, on the history as the check would have seen it. */
function checkAt(
  history: AccountHistory,
  state: LifecycleState,
  at: EpochMs,
  policy: DecisionPolicy,
): LifecycleState {
  const view = historyAsOf(history, at);
  const term = computeTermFacts(view.account, view.contracts, at);
  const onboarding = computeOnboardingFacts(view.milestones, view.goals, term.termStart, at);
  const context: DecisionContext = {
    workflowId: `account-${history.account.id}`,
    checkNumber: state.checkNumber + 1,
    accountId: history.account.id,
    accountTimezone: history.account.timezone,
    csmOwner: history.account.csm_owner,
    // Recipients matter only to fired rules, and none fire here.
    users: [],
    facts: {
      onboardingCompletion: onboarding.onboardingCompletion,
      daysToRenewal: term.daysToRenewal,
      userCadence: [],
    },
    contract: latestContract(view),
    policy,
  };
  return decide(state, noRules, context, at).state;
}

/**
 * Moves `lastCheckAt` over the checks on the stage's cadence that come before
 * the next instant at which a check could change the stage, or after `asOf`.
 * Such checks change nothing but `lastCheckAt`, so the result equals running them.
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
  if (!(skipped > 0)) return state;
  return { ...state, lastCheckAt: last + skipped * step };
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
function changeInstants(history: AccountHistory): number[] {
  const instants = contractChangeInstants(history);
  const completed = onboardingCompletedAt(history);
  if (completed !== null) instants.push(completed);
  return instants.sort((left, right) => left - right);
}

/**
 * Returns the instant the last onboarding milestone was completed, or null while one
 * is open. Onboarding ends on completion only when all of them are done, so
 * earlier completions change no stage.
 */
function onboardingCompletedAt(history: AccountHistory): number | null {
  const flagged = history.milestones.filter(isOnboardingMilestone);
  const onboarding = flagged.length > 0 ? flagged : history.milestones;
  if (onboarding.length === 0) return null;
  let last = -Infinity;
  for (const milestone of onboarding) {
    if (milestone.completed_at === null) return null;
    last = Math.max(last, milestone.completed_at);
  }
  return last;
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

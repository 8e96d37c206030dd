import { buildDecisionContext } from '../lifecycle/check-context';
import { nextCheckAt } from '../lifecycle/cadence';
import { decide } from '../lifecycle/decide';
import type { RuleEngine } from '../lifecycle/rule-engine';
import { initialState } from '../lifecycle/stages';
import type { DecisionPolicy, FiredRule, LifecycleState } from '../lifecycle/types';
import type { SignalOptions } from '../signals/compute';
import type { AccountHistory } from '../signals/history';
import { termAtStart } from '../signals/history-as-of';
import { createSignalCursor, type SignalCursor } from '../signals/signal-cursor';
import { dayMs } from '../store/time';
import { createHistoryView, type HistoryViewAt } from './history-view';

/** Inputs of one replay. Nothing here writes to the store or delivers anything. */
export interface ReplaySettings {
  from: number;
  to: number;
  rules: RuleEngine;
  ruleSet: { version: string; ruleSet: unknown };
  signalOptions?: SignalOptions;
  policy?: Partial<DecisionPolicy>;
}

/** One firing of a rule at a check, with what the decision core did with its actions. */
export interface RuleFiring {
  ruleId: string;
  at: number;
  /** True when the rule has a CSM task action, the default notion of a risk rule. */
  hasTask: boolean;
  planned: number;
  held: number;
  /** Reasons of the held actions, one entry per action, as `heldReasonKey` shortens them. */
  heldReasons: string[];
}

/** The replay of one account between `from` and `to`. */
export interface AccountReplay {
  accountId: string;
  checks: number;
  /** Simulated days from the replay start to `to` or the day the account churned. */
  accountDays: number;
  firings: RuleFiring[];
  /** When the account's term ended in churn, if it did within the window. */
  churnedAt: number | null;
  finalStage: string;
}

/**
 * Replays one account's checks through signals, rules and the lifecycle
 * decision core at the instants the workflow would have checked, in
 * simulated time. Starts at the term in force at `from`, so the stage and
 * cooldowns are right by the time firings are recorded (from `from` on).
 */
export function replayAccount(history: AccountHistory, settings: ReplaySettings): AccountReplay {
  const accountId = history.account.id;
  const term = termAtStart(history, settings.from);
  const start = term?.start_at ?? Math.max(settings.from, history.account.created_at);
  let state: LifecycleState = {
    ...initialState(accountId, start),
    termNumber: term?.term_number ?? 1,
  };
  const replay: AccountReplay = {
    accountId,
    checks: 0,
    accountDays: 0,
    firings: [],
    churnedAt: null,
    finalStage: state.stage,
  };

  // Stored history ends with the last term that has an outcome, so there is nothing to replay after it.
  const horizon = Math.min(settings.to, historyEnd(history));
  const account: AccountInputs = {
    workflowId: `account-${accountId}`,
    viewAt: createHistoryView(history),
    signals: createSignalCursor(history, settings.signalOptions),
  };
  for (
    let at = nextCheckAt(state, settings.policy);
    at !== null && at <= horizon;
    at = nextCheckAt(state, settings.policy)
  ) {
    state = checkOnce(account, state, at, settings, replay);
  }

  replay.finalStage = state.stage;
  replay.churnedAt = churnInWindow(history, settings);
  const end = Math.min(horizon, replay.churnedAt ?? horizon);
  replay.accountDays = Math.max(0, Math.floor((end - Math.max(start, settings.from)) / dayMs) + 1);
  return replay;
}

/**
 * Per-account inputs of the checks: the history as of each check and the
 * signals. Both reuse work from the previous check, because checks come in
 * time order, and both give what `historyAsOf` and `computeSignals` give.
 */
interface AccountInputs {
  workflowId: string;
  viewAt: HistoryViewAt;
  signals: SignalCursor;
}

function checkOnce(
  account: AccountInputs,
  state: LifecycleState,
  at: number,
  settings: ReplaySettings,
  replay: AccountReplay,
): LifecycleState {
  const view = account.viewAt(at);
  // computeSignals builds a new facts object at every call, so no other caller keeps a reference to this one.
  const facts = account.signals.computeAt(view, at);
  facts.stage = state.stage;
  const outcome = settings.rules.evaluate(facts, state.stage, settings.ruleSet.ruleSet, at);
  const identity = {
    accountId: replay.accountId,
    workflowId: account.workflowId,
    checkNumber: state.checkNumber + 1,
  };
  // Set on the new context rather than spread into a copy, which would copy every field again.
  const context = buildDecisionContext(identity, view, facts);
  context.policy = settings.policy;
  const evaluation = { ruleSetVersion: settings.ruleSet.version, fired: outcome.fired };
  const decision = decide(state, evaluation, context, at);

  if (at >= settings.from) {
    replay.checks += 1;
    for (const rule of outcome.fired) replay.firings.push(toFiring(rule, at, decision));
  }
  return decision.state;
}

function toFiring(rule: FiredRule, at: number, decision: ReturnType<typeof decide>): RuleFiring {
  const held = decision.held.filter((action) => action.ruleId === rule.id);
  return {
    ruleId: rule.id,
    at,
    hasTask: rule.actions.some((action) => action.type === 'task'),
    planned: decision.planned.filter((action) => action.ruleId === rule.id).length,
    held: held.length,
    heldReasons: held.map((action) => heldReasonKey(action.reason)),
  };
}

/**
 * Drops the instant from a hold reason ("cooldown of 7 days until 2024-02-01T00:00:00.000Z"),
 * so the report counts holds per kind of reason rather than per end date.
 */
export function heldReasonKey(reason: string): string {
  const until = reason.indexOf(' until ');
  return until === -1 ? reason : reason.slice(0, until);
}

/** Returns when the latest stored term ended, or Infinity while it is still open. */
function historyEnd(history: AccountHistory): number {
  let latest: AccountHistory['contracts'][number] | undefined;
  for (const contract of history.contracts) {
    if (!latest || contract.term_number > latest.term_number) latest = contract;
  }
  if (!latest || latest.outcome === null) return Infinity;
  return latest.outcome_at ?? latest.renewal_at;
}

/** Returns when a term of the account ended in churn within the window, or null. */
function churnInWindow(history: AccountHistory, settings: ReplaySettings): number | null {
  for (const contract of history.contracts) {
    const at = contract.outcome_at;
    if (contract.outcome === 'churned' && at !== null && at >= settings.from && at <= settings.to)
      return at;
  }
  return null;
}

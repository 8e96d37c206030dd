import type { PlannedAction } from '../actions/types';
import { capReason, pruneSent } from './frequency-caps';
import { isHeldOut } from './holdout';
import { resolvePolicy } from './policy';
import { describeQuietHoursWait, quietHoursEnd } from './quiet-hours';
import { idempotencyKey, resolveRecipients, type RecipientResolution } from './recipients';
import { recordRuleFired, ruleLimitReason } from './rule-limits';
import { applyTransition, decideTransition } from './stages';
import type {
  Decision,
  DecisionContext,
  DecisionEvaluation,
  DecisionPolicy,
  FiredRule,
  FiredRuleAction,
  HeldAction,
  LifecycleState,
} from './types';

/** Working set of one decision while rules are planned in priority order. */
interface Plan {
  state: LifecycleState;
  planned: PlannedAction[];
  held: HeldAction[];
  keys: Set<string>;
}

/**
 * Decides one check: the stage transition, the actions to carry out (with the
 * instant each may be delivered) and the actions held back with their reason.
 * Pure: the same input always gives the same output, and the input is never
 * changed, so the workflow and the backtest can both call it.
 */
export function decide(
  state: LifecycleState,
  evaluation: DecisionEvaluation,
  context: DecisionContext,
  now: number,
): Decision {
  const policy = resolvePolicy(context.policy);
  const synced = syncContract(state, context);
  const fired = [...evaluation.fired].sort(byPriority);

  const plan: Plan = {
    state: { ...synced, sent: pruneSent(synced.sent, now, policy) },
    planned: [],
    held: [],
    keys: new Set(),
  };
  if (state.stage !== 'churned') {
    for (const rule of fired) planRule(plan, rule, evaluation, context, policy, now);
  }

  const transition = decideTransition(synced, fired, context, policy, now);
  let next: LifecycleState = {
    ...plan.state,
    checkNumber: Math.max(state.checkNumber, context.checkNumber),
    lastCheckAt: now,
  };
  if (transition) next = applyTransition(next, transition, context, now);

  return transition
    ? { state: next, planned: plan.planned, held: plan.held, transition }
    : { state: next, planned: plan.planned, held: plan.held };
}

/** Higher priority first; ties by rule id so that the order never depends on input order. */
function byPriority(left: FiredRule, right: FiredRule): number {
  if (right.priority !== left.priority) return right.priority - left.priority;
  if (left.id === right.id) return 0;
  return left.id < right.id ? -1 : 1;
}

/**
 * Takes the term dates from the stored contract when it describes the state's
 * term. At the first check the workflow has no term yet, so it adopts the
 * stored term: an account first seen in a later term starts in adoption.
 */
function syncContract(state: LifecycleState, context: DecisionContext): LifecycleState {
  const contract = context.contract;
  if (!contract) return state;
  if (state.lastCheckAt === null && contract.termNumber !== state.termNumber) {
    return {
      ...state,
      stage: contract.termNumber > 1 ? 'adoption' : state.stage,
      termNumber: contract.termNumber,
      stageEnteredAt: contract.startAt,
      termStartedAt: contract.startAt,
      renewalAt: contract.renewalAt,
    };
  }
  if (contract.termNumber !== state.termNumber) return state;
  const firstCheck = state.lastCheckAt === null;
  return {
    ...state,
    renewalAt: contract.renewalAt,
    termStartedAt: contract.startAt,
    stageEnteredAt: firstCheck ? contract.startAt : state.stageEnteredAt,
  };
}

function planRule(
  plan: Plan,
  rule: FiredRule,
  evaluation: DecisionEvaluation,
  context: DecisionContext,
  policy: DecisionPolicy,
  now: number,
): void {
  const deliverable = rule.actions.filter((action) => action.type !== 'stage');
  const targets = deliverable.flatMap((action) =>
    resolveRecipients(rule, action, context).map((target) => ({ action, target })),
  );

  const ruleReason = holdReason(rule, plan.state, context, now);
  if (ruleReason) {
    for (const { target } of targets) plan.held.push(heldFor(rule, target, ruleReason));
    return;
  }

  let acted = false;
  for (const { action, target } of targets) {
    const reason = targetReason(plan, action, target, policy, now);
    if (reason) {
      plan.held.push(heldFor(rule, target, reason));
      continue;
    }
    plan.planned.push(toPlanned(plan, rule, action, target, evaluation, context, policy, now));
    acted = true;
  }
  if (acted) plan.state = { ...plan.state, rules: recordRuleFired(plan.state.rules, rule.id, now) };
}

function holdReason(
  rule: FiredRule,
  state: LifecycleState,
  context: DecisionContext,
  now: number,
): string | undefined {
  if (isHeldOut(context.accountId, rule.id, rule.holdoutShare ?? 0)) {
    return `holdout group (${Math.round((rule.holdoutShare ?? 0) * 100)}% of accounts)`;
  }
  return ruleLimitReason(rule, state, now);
}

/** Returns why this one recipient is skipped: no recipient, no email address, unsubscribed, or a cap. */
function targetReason(
  plan: Plan,
  action: FiredRuleAction,
  target: RecipientResolution,
  policy: DecisionPolicy,
  now: number,
): string | undefined {
  if (target.kind === 'none') return target.reason;
  if (target.kind !== 'user') return undefined;
  // Held here, because a planned email without an address would take cap and cooldown for nothing.
  if (action.type === 'email' && !target.user.email?.trim()) return 'user has no email address';
  if (action.type === 'email' && !target.user.subscribed) return 'user unsubscribed';
  return capReason(plan.state.sent, target.user.id, now, policy);
}

function heldFor(rule: FiredRule, target: RecipientResolution, reason: string): HeldAction {
  const recipient = target.kind === 'user' ? target.user.id : target.recipient;
  return { ruleId: rule.id, recipient, reason };
}

function toPlanned(
  plan: Plan,
  rule: FiredRule,
  action: FiredRuleAction,
  target: RecipientResolution,
  evaluation: DecisionEvaluation,
  context: DecisionContext,
  policy: DecisionPolicy,
  now: number,
): PlannedAction {
  const recipient =
    target.kind === 'user' ? target.user.id : (target as { recipient: string }).recipient;
  const { notBefore, wait } = deliveryTime(action, target, context, policy, now);
  if (target.kind === 'user') {
    plan.state = {
      ...plan.state,
      sent: [...plan.state.sent, { at: notBefore, userId: recipient }],
    };
  }

  const planned: PlannedAction = {
    idempotencyKey: idempotencyKey(
      context,
      plan.state.chainId,
      { ruleId: rule.id, recipient, type: action.type },
      plan.keys,
    ),
    accountId: context.accountId,
    ruleId: rule.id,
    ruleSetVersion: evaluation.ruleSetVersion,
    type: action.type,
    params: action.params,
    recipient,
    evidence: rule.evidence ?? {},
    notBefore,
  };
  if (action.template !== undefined) planned.template = action.template;
  if (wait !== undefined) planned.wait = wait;
  return planned;
}

/** Returns when an action may be delivered: emails wait out quiet hours in the recipient's zone. */
function deliveryTime(
  action: FiredRuleAction,
  target: RecipientResolution,
  context: DecisionContext,
  policy: DecisionPolicy,
  now: number,
): { notBefore: number; wait?: string } {
  if (target.kind !== 'user' || action.type !== 'email') return { notBefore: now };
  const zone = target.user.timezone ?? context.accountTimezone;
  const notBefore = quietHoursEnd(now, zone, policy.quietHours);
  if (notBefore === now) return { notBefore };
  return { notBefore, wait: describeQuietHoursWait(notBefore, zone) };
}

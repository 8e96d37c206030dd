/**
 * Actions that rules ask for and the decision core plans. The workflow hands
 * each planned action to the delivery activity of its channel.
 */
export const actionTypes = ['email', 'notice', 'task', 'webhook', 'stage'] as const;
export type ActionType = (typeof actionTypes)[number];

/** Recipients of an action: the account's users (optionally by role), its CSM, or the account. */
export type Audience = { kind: 'users'; roles?: string[] } | { kind: 'csm' } | { kind: 'account' };

/** One action of a rule, as written in the rule file after validation. */
export interface RuleAction {
  type: ActionType;
  /** Template name under templates/ (email, notice, task); optional for a task with a title. */
  template?: string;
  /** Free parameters: task title and priority, webhook URL, target stage, due-in days. */
  params: Record<string, unknown>;
}

/** An action the decision core decided to carry out for one recipient. */
export interface PlannedAction {
  /**
   * workflowId:chainId:checkNumber:ruleId:recipient (the backtest has no chainId), stored with a
   * unique constraint before any side effect.
   */
  idempotencyKey: string;
  accountId: string;
  ruleId: string;
  ruleSetVersion: string;
  type: ActionType;
  template?: string;
  params: Record<string, unknown>;
  /** User id for email and notice, CSM owner for task, URL for webhook, stage name for stage changes. */
  recipient: string;
  /** Facts that made the rule fire, kept as evidence on tasks and in explanations. */
  evidence: Record<string, unknown>;
  /** Earliest instant (epoch ms) to deliver, later than now when quiet hours hold it back. */
  notBefore: number;
  /** Reason that delivery waits until `notBefore`, such as the recipient's quiet hours. Absent without a wait. */
  wait?: string;
}

/** Outcome of one delivery attempt, recorded in the outbox. */
export interface DeliveryResult {
  idempotencyKey: string;
  status: 'sent' | 'skipped' | 'failed' | 'duplicate';
  /** Reason the action was skipped or failed, in words a CS operator understands. */
  reason?: string;
}

import type { PlannedAction, RuleAction } from '../actions/types';
import type { UserCadence } from '../signals/catalog';

/**
 * Stages the decision core moves an account through. `renewed` is only ever
 * a transition target: the account starts its next term in `adoption` at once.
 */
export type LifecycleStage = 'onboarding' | 'adoption' | 'renewal' | 'renewed' | 'churned';

/** Audience of a rule or action, as written in the rule file's `audience`. */
export interface RuleAudience {
  users?: { roles?: string[]; belowCadence?: boolean };
  csm?: boolean;
  account?: boolean;
}

/** An action of a fired rule; its own audience overrides the rule's. */
export interface FiredRuleAction extends RuleAction {
  audience?: RuleAudience;
}

/** One rule that fired at a check, in the shape the decision core needs. */
export interface FiredRule {
  id: string;
  /** Higher first: when caps allow only some actions, higher-priority rules get them. */
  priority: number;
  actions: readonly FiredRuleAction[];
  audience?: RuleAudience;
  /** Minimum days between two firings of this rule for the account. */
  cooldownDays?: number;
  /** Maximum firings of this rule in one contract term. */
  limitPerTerm?: number | null;
  /** Share 0..1 of accounts kept out of this rule's actions, to measure its effect. */
  holdoutShare?: number;
  /** Facts that made the rule fire, kept on the planned actions. */
  evidence?: Record<string, unknown>;
}

/** The rule evaluation of one check, reduced to what decide() reads. */
export interface DecisionEvaluation {
  ruleSetVersion: string;
  fired: FiredRule[];
}

/** A user of the account as the check activity loaded it. */
export interface RecipientUser {
  id: string;
  email: string | null;
  role: string;
  /** IANA zone; the account's zone applies when null. */
  timezone: string | null;
  subscribed: boolean;
}

/** The account's current contract term as stored. */
export interface ContractSnapshot {
  termNumber: number;
  startAt: number;
  renewalAt: number;
  status: 'active' | 'ended' | 'cancelled';
  outcome: 'renewed' | 'expanded' | 'churned' | 'lapsed' | null;
}

/** The facts decide() reads; a subset of AccountFacts so that tests stay small. */
export interface DecisionFacts {
  onboardingCompletion: number;
  daysToRenewal: number | null;
  userCadence: UserCadence[];
}

/** Everything besides state and evaluation that a decision depends on. */
export interface DecisionContext {
  workflowId: string;
  checkNumber: number;
  accountId: string;
  accountTimezone: string;
  csmOwner: string | null;
  users: RecipientUser[];
  facts: DecisionFacts;
  /** The latest term of the account, or null when it has no contract yet. */
  contract: ContractSnapshot | null;
  policy?: Partial<DecisionPolicy>;
}

/** A cap on messages within a sliding window. */
export interface FrequencyCap {
  max: number;
  windowDays: number;
}

/** Tunable limits of the decision core. */
export interface DecisionPolicy {
  /** Days before the renewal date at which adoption turns into renewal. */
  renewalWindowDays: number;
  /** Days after which onboarding ends even when milestones are still open. */
  maxOnboardingDays: number;
  /** Days between scheduled checks in each stage. */
  cadenceDays: Record<'onboarding' | 'adoption' | 'renewal', number>;
  /** Emails and notices one user receives, across all rules. */
  perUserCap: FrequencyCap;
  /** Emails and notices all users of one account receive together, across all rules. */
  perAccountCap: FrequencyCap;
  /** Local hours [start, end) in which emails wait; start > end spans midnight. */
  quietHours: { startHour: number; endHour: number } | null;
}

/** Firing record of one rule, for cooldowns and per-term limits. */
export interface RuleRecord {
  lastFiredAt: number;
  firedThisTerm: number;
}

/** One message counted against the frequency caps. */
export interface SentRecord {
  at: number;
  /** User id of the recipient. */
  userId: string;
}

/** Lifecycle state of one account, small and plain so that it survives continue-as-new. */
export interface LifecycleState {
  accountId: string;
  stage: Exclude<LifecycleStage, 'renewed'>;
  termNumber: number;
  stageEnteredAt: number;
  termStartedAt: number;
  renewalAt: number | null;
  checkNumber: number;
  lastCheckAt: number | null;
  rules: Record<string, RuleRecord>;
  sent: SentRecord[];
  /**
   * Id of the workflow run chain, part of every idempotency key, because a new
   * chain under the same workflow id (a win-back, a restart) counts its checks
   * from 0 again. The workflow sets it once per chain and continue-as-new
   * carries it. Without it (the backtest, a state from an older workflow)
   * keys are workflowId:checkNumber:ruleId:recipient.
   */
  chainId?: string;
}

/** An action held back, with the reason in words a CS operator understands. */
export interface HeldAction {
  ruleId: string;
  recipient: string;
  reason: string;
}

/** A stage change decided at a check. */
export interface StageTransition {
  from: LifecycleStage;
  to: LifecycleStage;
  reason: string;
}

/** The output of decide(). */
export interface Decision {
  state: LifecycleState;
  planned: PlannedAction[];
  held: HeldAction[];
  transition?: StageTransition;
}

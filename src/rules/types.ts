import type { ActionType, RuleAction } from '../actions/types';
import type { CompiledCondition } from './compile';
import type { ConditionNode } from './condition-tree';
import type { RuleExplanation } from './explanation';

/** Lifecycle stages a rule can be active in. */
export const lifecycleStages = ['onboarding', 'adoption', 'renewal', 'renewed', 'churned'] as const;
export type LifecycleStage = (typeof lifecycleStages)[number];

/**
 * Recipients of an action, as written in rule files: the account's users
 * (optionally only some roles, or only those below their role's cadence),
 * the account's CSM, or the account as a whole (webhooks, stage changes).
 */
export type RuleAudience =
  { users: { roles?: string[]; belowCadence?: boolean } } | { csm: true } | { account: true };

/**
 * Check that a template of the delivery layout exists, with the absolute templates
 * folder it searches when it reads files, so messages can name that folder.
 */
export type TemplateExists = ((type: 'email' | 'notice' | 'task', name: string) => boolean) & {
  templatesDir?: string;
};

/** One action of a fired rule, with the audience resolved. */
export interface FiredAction extends RuleAction {
  audience: RuleAudience;
}

/** A validated rule, in either file format, before compilation. */
export interface RuleDefinition {
  id: string;
  description: string;
  /** File the rule came from. */
  file: string;
  format: 'uptake' | 'json-rules-engine';
  stages: readonly LifecycleStage[];
  priority: number;
  enabled: boolean;
  actions: readonly FiredAction[];
  /** Days before the rule may act again for the same account; 0 for none. */
  cooldownDays: number;
  /** Most times the rule may act per contract term; null for no limit. */
  limitPerTerm: number | null;
  /** Share of accounts (0..1) held out from this rule's actions to measure its effect. */
  holdoutShare: number;
  /** The conditions as written, for json-rules-engine and for display. */
  conditions: unknown;
  tree: ConditionNode;
}

/** A rule that fired: what the decision core needs to plan its actions. */
export interface FiredRule {
  id: string;
  description: string;
  priority: number;
  actions: readonly FiredAction[];
  cooldownDays: number;
  limitPerTerm: number | null;
  holdoutShare: number;
}

/** A rule ready for evaluation. */
export interface CompiledRule {
  definition: RuleDefinition;
  condition: CompiledCondition;
  /** Frozen once, returned by every evaluation in which the rule fires. */
  fired: FiredRule;
}

/** A rule left out of an evaluation, and why. */
export interface SkippedRule {
  id: string;
  reason: string;
}

/** A loaded, validated and compiled set of rules. */
export interface RuleSet {
  /** SHA-256 of the rule files' names and contents, sorted by name (first 16 hex digits). */
  version: string;
  /** Rules in evaluation order: priority high to low, then id. */
  rules: readonly CompiledRule[];
  /** Shared conditions as written, by name, for json-rules-engine's setCondition. */
  sharedConditions: ReadonlyMap<string, unknown>;
  /** Files read, sorted. */
  files: readonly string[];
  /** Per lifecycle stage: the rules to evaluate and those skipped with the reason. */
  stagePlans: ReadonlyMap<string, StagePlan>;
}

/** The rules of a rule set that apply in one stage. */
export interface StagePlan {
  active: readonly CompiledRule[];
  skipped: readonly SkippedRule[];
}

/** The result of evaluating a rule set for one account at one instant. */
export interface Evaluation {
  ruleSetVersion: string;
  stage: string;
  /** Fired rules in priority order (high first, then id). */
  fired: FiredRule[];
  skipped: readonly SkippedRule[];
  /** Rules whose conditions threw (for example `in` against a fact that is null); they did not fire. */
  errors: { ruleId: string; message: string }[];
  /** Every rule with its conditions' values and results, when `explain` was set. */
  explanations?: RuleExplanation[];
}

export type { ActionType };

import type { AccountFacts } from '../signals/catalog';
import type { FiredRule } from './types';

/** One error of a rule set that failed to load. */
export interface RuleSetError {
  file: string;
  jsonPath: string;
  message: string;
}

/** The rule set in force, or why none could be loaded. */
export type CurrentRuleSet =
  { ok: true; version: string; ruleSet: unknown } | { ok: false; errors: RuleSetError[] };

/** A rule that did not fire, with the conditions that were false. */
export interface NotFiredRule {
  ruleId: string;
  failing: unknown[];
}

/** What the check activity needs from rule evaluation, in the decision core's shape. */
export interface RuleOutcome {
  fired: FiredRule[];
  notFired: NotFiredRule[];
}

/**
 * The rules as the check activity sees them: the set in force (hot reloaded
 * by the caller) and a pure evaluation of facts for a stage. The worker wires
 * this to the rules module, tests may wire a small rule set of their own.
 */
export interface RuleEngine {
  current(): CurrentRuleSet;
  /** `asOf` is the check's instant, for duration operators such as "older than 14 days". */
  evaluate(facts: AccountFacts, stage: string, ruleSet: unknown, asOf: number): RuleOutcome;
}

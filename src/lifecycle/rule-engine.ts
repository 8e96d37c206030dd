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

/** Result of rule evaluation in the decision core's shape. */
export interface RuleOutcome {
  fired: FiredRule[];
  notFired: NotFiredRule[];
}

/**
 * Rule access for the check activity: the set in force (reloaded by the
 * implementation) and a pure evaluation of facts for a stage. The worker
 * wires it to the rules module.
 */
export interface RuleEngine {
  current(): CurrentRuleSet;
  /** `asOf` is the check's instant, for duration operators such as "older than 14 days". */
  evaluate(facts: AccountFacts, stage: string, ruleSet: unknown, asOf: number): RuleOutcome;
}

import type { AccountFacts } from '../signals/catalog';
import type { Facts } from './compile';
import type { RuleExplanation } from './explanation';
import { planStage } from './rule-set';
import type { CompiledRule, Evaluation, RuleSet, StagePlan } from './types';

/** Options of `evaluateRules`. */
export interface EvaluateOptions {
  /** Also explain every rule: each condition's fact value, operator, expected value and result. */
  explain?: boolean;
  /** Epoch ms the duration operators (olderThanDays, withinLastDays) measure from. */
  asOf?: number;
}

/**
 * Evaluates a rule set over one account's facts in one stage. Pure and
 * synchronous: compiled closures, no shared engine, no I/O, so concurrent
 * callers cannot interfere. A rule whose conditions throw is reported in
 * `errors` and does not fire; json-rules-engine would reject the whole run.
 */
export function evaluateRules(
  facts: AccountFacts | Facts,
  stage: string,
  ruleSet: RuleSet,
  options: EvaluateOptions = {},
): Evaluation {
  const plan: StagePlan = ruleSet.stagePlans.get(stage) ?? planStage(ruleSet.rules, stage);
  const values = facts as Facts;
  const context = { asOf: options.asOf };
  const evaluation: Evaluation = {
    ruleSetVersion: ruleSet.version,
    stage,
    fired: [],
    skipped: plan.skipped,
    errors: [],
  };
  for (const rule of plan.active) {
    try {
      if (rule.condition.test(values, context)) evaluation.fired.push(rule.fired);
    } catch (error) {
      evaluation.errors.push({ ruleId: rule.definition.id, message: errorMessage(error) });
    }
  }
  if (options.explain) evaluation.explanations = explainRules(values, ruleSet, plan, context);
  return evaluation;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function explainRules(
  facts: Facts,
  ruleSet: RuleSet,
  plan: StagePlan,
  context: { asOf: number | undefined },
): RuleExplanation[] {
  const skipped = new Map(plan.skipped.map((rule) => [rule.id, rule.reason]));
  return ruleSet.rules.map((rule: CompiledRule): RuleExplanation => {
    const { id, priority } = rule.definition;
    const reason = skipped.get(id);
    if (reason !== undefined)
      return { id, priority, status: 'skipped', reason, conditions: rule.condition.describe() };
    try {
      const conditions = rule.condition.explain(facts, context);
      return {
        id,
        priority,
        status: conditions.result === true ? 'fired' : 'not-fired',
        conditions,
      };
    } catch (error) {
      return {
        id,
        priority,
        status: 'error',
        reason: errorMessage(error),
        conditions: rule.condition.describe(),
      };
    }
  });
}

import { Engine, type RuleResult } from 'json-rules-engine';
import { customOperators } from './custom-operators';
import type { EvaluationContext } from './operators';

/** A rule as json-rules-engine takes it: the conditions as written in the file. */
export interface ReferenceRule {
  id: string;
  priority: number;
  conditions: unknown;
}

/** Decisions of one json-rules-engine run. */
export interface ReferenceOutcome {
  /** Ids of the rules that fired. */
  fired: string[];
  /** Each rule's result and its evaluated Condition tree (factResult, valueResult, result). */
  results: Map<string, { result: boolean; conditions: unknown }>;
}

/**
 * Engine options Uptake's evaluator matches. A fact missing from the facts
 * object reads as undefined (`allowUndefinedFacts`) instead of failing the
 * run, so a partial fact set behaves like one with nulls.
 */
export const referenceEngineOptions = { allowUndefinedFacts: true } as const;

/**
 * Evaluates rules with json-rules-engine itself: a new Engine for every call,
 * because two overlapping runs on one Engine can drop events. Uptake's
 * operators are registered with the same functions and context as the
 * compiled evaluator. Used as the reference in tests and benchmarks.
 */
export async function runReferenceEngine(
  rules: readonly ReferenceRule[],
  sharedConditions: ReadonlyMap<string, unknown>,
  facts: object,
  context: EvaluationContext,
): Promise<ReferenceOutcome> {
  const engine = new Engine([], referenceEngineOptions);
  for (const [name, evaluate] of customOperators) {
    engine.addOperator(name, (fact: unknown, value: unknown) => evaluate(fact, value, context));
  }
  for (const [name, conditions] of sharedConditions) {
    engine.setCondition(name, conditions as Parameters<Engine['setCondition']>[1]);
  }
  for (const rule of rules) {
    engine.addRule({
      name: rule.id,
      priority: rule.priority,
      conditions: rule.conditions as Parameters<Engine['addRule']>[0]['conditions'],
      event: { type: 'fired', params: { ruleId: rule.id } },
    });
  }
  const { results, failureResults } = await engine.run(facts as Record<string, unknown>);
  const outcome: ReferenceOutcome = { fired: [], results: new Map() };
  for (const result of [...results, ...failureResults]) {
    // The Condition objects themselves: toJSON drops the result of all/any/not nodes.
    const conditions = (result as RuleResult & { conditions: unknown }).conditions;
    outcome.results.set(String(result.name), { result: Boolean(result.result), conditions });
    if (result.result) outcome.fired.push(String(result.name));
  }
  return outcome;
}

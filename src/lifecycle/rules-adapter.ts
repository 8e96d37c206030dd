import type { AccountFacts } from '../signals/catalog';
import { evaluateRules } from '../rules/evaluate';
import { describeFailedConditions, type ConditionExplanation } from '../rules/explanation';
import type { RuleSetLoad } from '../rules/load';
import type { RuleSet } from '../rules/types';
import type { NotFiredRule, RuleEngine, RuleOutcome } from './rule-engine';
import type { FiredRule } from './types';

/** The rule set holder the adapter reads: a RuleSetWatcher or anything shaped like it. */
export interface RuleSetSource {
  readonly current: RuleSet | undefined;
  reload(): RuleSetLoad;
}

/** Options of createRuleEngine. */
export interface RuleEngineOptions {
  /** How long a loaded set is used before the folder is read again, in ms (default 1000). */
  reloadAfterMs?: number;
  clock?: () => number;
}

/**
 * Adapts the rules module to the check activity. The folder is read again at
 * most once per `reloadAfterMs`, so an edited rule applies within a second.
 * No file watcher is needed, which would keep the process alive. An invalid
 * edit keeps the last valid set. Every evaluation is explained, so the check
 * row can show each rule that did not fire with its false conditions.
 */
export function createRuleEngine(
  source: RuleSetSource,
  options: RuleEngineOptions = {},
): RuleEngine {
  const reloadAfterMs = options.reloadAfterMs ?? 1000;
  const clock = options.clock ?? Date.now;
  let loadedAt = Number.NEGATIVE_INFINITY;
  let lastLoad: RuleSetLoad | undefined;
  return {
    current() {
      if (clock() - loadedAt >= reloadAfterMs) {
        lastLoad = source.reload();
        loadedAt = clock();
      }
      const ruleSet = source.current;
      if (ruleSet) return { ok: true, version: ruleSet.version, ruleSet };
      return { ok: false, errors: lastLoad && !lastLoad.ok ? lastLoad.errors : [] };
    },
    evaluate: (facts, stage, ruleSet, asOf) =>
      evaluateExplained(facts, stage, ruleSet as RuleSet, asOf),
  };
}

function evaluateExplained(
  facts: AccountFacts,
  stage: string,
  ruleSet: RuleSet,
  asOf: number,
): RuleOutcome {
  const evaluation = evaluateRules(facts, stage, ruleSet, { explain: true, asOf });
  const explanations = new Map((evaluation.explanations ?? []).map((entry) => [entry.id, entry]));

  const fired: FiredRule[] = evaluation.fired.map((rule) => {
    const conditions = explanations.get(rule.id)?.conditions;
    return { ...rule, evidence: conditions ? collectEvidence(conditions) : {} };
  });
  const notFired: NotFiredRule[] = [];
  for (const entry of evaluation.explanations ?? []) {
    if (entry.status === 'not-fired') {
      notFired.push({ ruleId: entry.id, failing: describeFailedConditions(entry.conditions) });
    } else if (entry.status === 'error') {
      notFired.push({
        ruleId: entry.id,
        failing: [entry.reason ?? 'condition failed to evaluate'],
      });
    }
  }
  return { fired, notFired };
}

/** Collects the fact values of the true conditions: the evidence a CSM task shows. */
function collectEvidence(
  explanation: ConditionExplanation,
  into: Record<string, unknown> = {},
): Record<string, unknown> {
  switch (explanation.kind) {
    case 'all':
    case 'any':
      for (const child of explanation.conditions) collectEvidence(child, into);
      break;
    case 'not':
      collectEvidence(explanation.condition, into);
      break;
    case 'reference':
      if (explanation.condition) collectEvidence(explanation.condition, into);
      break;
    case 'fact':
      if (explanation.result === true) into[explanation.fact] = explanation.factValue;
      break;
  }
  return into;
}

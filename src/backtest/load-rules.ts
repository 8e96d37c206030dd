import { resolve } from 'node:path';
import { projectRoot } from '../config';
import type { RuleEngine } from '../lifecycle/rule-engine';
import { createRuleEngine } from '../lifecycle/rules-adapter';
import { evaluateRules } from '../rules/evaluate';
import { loadRuleSet } from '../rules/load';
import type { RuleSet } from '../rules/types';
import { createTemplateChecker } from '../rules/template-check';

/** A rule folder loaded once for a backtest, wired to the engine the check activity uses. */
export interface BacktestRules {
  rules: RuleEngine;
  ruleSet: { version: string; ruleSet: unknown };
  /** Ids of the loaded rules, sorted. */
  ruleIds: string[];
}

/**
 * Loads a rule folder (default: the shipped playbook) and validates its
 * templates against a templates folder. Throws with every error, naming the
 * file and JSON path, when the folder does not load.
 */
export function loadBacktestRules(
  rulesDir?: string,
  templatesDir?: string,
  options: { explain?: boolean } = {},
): BacktestRules {
  const dir = rulesDir ?? resolve(projectRoot, 'rules');
  const templateExists = createTemplateChecker(templatesDir ?? resolve(projectRoot, 'templates'));
  const load = loadRuleSet(dir, { templateExists });
  if (!load.ok) {
    const errors = load.errors.map(
      (error) => `  ${error.file} at ${error.jsonPath}: ${error.message}`,
    );
    throw new Error(
      `Rule folder ${dir} is invalid; fix these and run again:\n${errors.join('\n')}`,
    );
  }
  const rules = options.explain
    ? createRuleEngine({ current: load.ruleSet, reload: () => load })
    : createUnexplainedEngine(load.ruleSet);
  const ruleIds = load.ruleSet.rules.map((rule) => rule.definition.id).sort();
  return { rules, ruleSet: { version: load.ruleSet.version, ruleSet: load.ruleSet }, ruleIds };
}

/** Checks --risk-rules ids against the loaded rules, throwing with the unknown and the known ids. */
export function checkRiskRuleIds(ids: readonly string[], known: readonly string[]): void {
  const knownSet = new Set(known);
  const unknown = ids.filter((id) => !knownSet.has(id));
  if (unknown.length === 0) return;
  throw new Error(
    `Unknown rule id(s) in --risk-rules: ${unknown.join(', ')}. Known rule ids: ${known.join(', ')}.`,
  );
}

/**
 * Evaluates like the check activity's engine but without explanations, which
 * cost more than the evaluation itself. The backtest report reads only which
 * rules fired, so fired rules carry no evidence.
 */
function createUnexplainedEngine(ruleSet: RuleSet): RuleEngine {
  return {
    current: () => ({ ok: true, version: ruleSet.version, ruleSet }),
    evaluate: (facts, stage, _ruleSet, asOf) => ({
      fired: evaluateRules(facts, stage, ruleSet, { asOf }).fired,
      notFired: [],
    }),
  };
}

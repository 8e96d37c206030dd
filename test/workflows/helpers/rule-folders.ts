import { join, resolve } from 'node:path';
import type { RuleEngine } from '../../../src/lifecycle/rule-engine';
import { createRuleEngine } from '../../../src/lifecycle/rules-adapter';
import { createTemplateChecker } from '../../../src/rules/template-check';
import { RuleSetWatcher } from '../../../src/rules/watcher';

/** The shipped templates folder, which the test rules name. */
export const templatesDir = resolve(__dirname, '..', '..', '..', 'templates');

/** Rules written for the workflow tests: a welcome email, an overdue-milestone task, a renewal task. */
export const yearRulesDir = join(__dirname, '..', 'rules-year');

/** Loads a rule folder through the rules module, as the worker does. */
export function loadRuleEngine(dir: string = yearRulesDir): RuleEngine {
  const watcher = new RuleSetWatcher(dir, { templateExists: createTemplateChecker(templatesDir) });
  const load = watcher.reload();
  if (!load.ok) throw new Error(`test rules invalid: ${JSON.stringify(load.errors)}`);
  return createRuleEngine(watcher);
}

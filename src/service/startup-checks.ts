import { formatRuleError } from '../rules/errors';
import { loadRuleSet } from '../rules/load';
import { createTemplateChecker } from '../rules/template-check';
import type { ServiceConfig } from './config';

/** Error raised when the rule folder fails to load at start-up. Its message lists one line per error. */
export class RuleSetStartupError extends Error {
  constructor(rulesDir: string, lines: string[]) {
    super(
      `rule folder ${rulesDir} is invalid; fix these and start again:\n${lines.map((line) => `  ${line}`).join('\n')}`,
    );
    this.name = 'RuleSetStartupError';
  }
}

/**
 * Loads the rule folder once before anything starts. The worker's watcher
 * keeps the last valid set on a bad reload, but at start-up there is none to
 * keep, so a bad folder must stop the service instead of running with no rules.
 */
export function checkRuleSetAtStartup(config: ServiceConfig): void {
  const load = loadRuleSet(config.rulesDir, {
    templateExists: createTemplateChecker(config.templatesDir),
  });
  if (!load.ok) throw new RuleSetStartupError(config.rulesDir, load.errors.map(formatRuleError));
}

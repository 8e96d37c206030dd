import type { Logger } from '../logger';
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

/**
 * Logs one warning when UPTAKE_APP_URL is unset, because links in emails and
 * notices then point at `fallbackUrl` (the Uptake API), which returns 401 to
 * customers. Returns true when it warned.
 */
export function warnWhenAppUrlUnset(
  config: ServiceConfig,
  fallbackUrl: string,
  logger: Logger,
): boolean {
  if (config.appUrl) return false;
  logger.warn(
    { setting: 'UPTAKE_APP_URL', fallbackUrl },
    `UPTAKE_APP_URL is unset, so links in emails and notices go to the Uptake API at ` +
      `${fallbackUrl}, which customers cannot open; set UPTAKE_APP_URL to your product's URL`,
  );
  return true;
}

import { defaultFixtureFacts } from '../rules/fixture-facts';
import type { TemplateProblem } from './check-template';
import type { LoadedTemplates } from './load-templates';
import { renderEmail, renderNotice, renderTask, type RenderContext } from './render';

/**
 * A context with every variable a template may read, for checking templates
 * without an account. Feature lists are not empty, so `#each` bodies render too.
 */
export const sampleRenderContext: RenderContext = {
  account: { id: 'sample-account', name: 'Northwind', plan: 'pro', timezone: 'UTC' },
  user: { id: 'sample-user', name: 'Ada', email: 'ada@northwind.test', role: 'admin' },
  csm: { name: 'Casey', email: 'casey@vendor.test' },
  facts: {
    ...defaultFixtureFacts,
    keyFeaturesNeverUsed: ['reports'],
    newFeaturesNotTried: ['sso'],
  },
  features: {
    reports: { key: 'reports', name: 'Scheduled reports', helpUrl: 'https://help.test/reports' },
    sso: { key: 'sso', name: 'Single sign-on', helpUrl: null },
  },
  rule: { id: 'sample-rule', description: 'Sample rule' },
  unsubscribeUrl: 'https://app.test/unsubscribe?token=sample',
  appUrl: 'https://app.test',
  params: {},
};

/**
 * Renders every loaded template against `sampleRenderContext` and lists the
 * failures, such as a misspelled variable, with file and line.
 * NOTE: branches that the sample context does not take (an `#if` on a false
 * fact, for example) are not rendered, so a mistake inside them goes unnoticed.
 */
export function checkTemplatesRender(loaded: LoadedTemplates): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const attempt = (fallbackFile: string, render: () => unknown): void => {
    try {
      render();
    } catch (error) {
      problems.push(toProblem(fallbackFile, error));
    }
  };
  for (const [name, parts] of loaded.email) {
    attempt(parts.subject.file, () => renderEmail(loaded, name, sampleRenderContext));
  }
  for (const [name, template] of loaded.notice) {
    attempt(template.file, () => renderNotice(loaded, name, sampleRenderContext));
  }
  for (const [name, template] of loaded.task) {
    attempt(template.file, () => renderTask(loaded, name, sampleRenderContext));
  }
  return problems;
}

function toProblem(fallbackFile: string, error: unknown): TemplateProblem {
  const record = error as { file?: unknown; message?: unknown };
  const file = typeof record.file === 'string' ? record.file : fallbackFile;
  // Handlebars strict lookups print the context object as "[object Object]", which names nothing useful.
  const message = String(record.message ?? error).replace(' in [object Object]', '');
  // Handlebars names the line as "on line 2" (helpers) or "- 2:6" (strict lookups).
  const match = /line (\d+)/.exec(message) ?? / - (\d+):\d+/.exec(message);
  const problem: TemplateProblem = { file, message };
  if (match) problem.line = Number(match[1]);
  return problem;
}

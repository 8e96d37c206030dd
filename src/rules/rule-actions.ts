import { join } from 'node:path';
import { readTaskDueInDays, readTaskPriority } from '../actions/task-params';
import type { ActionType } from '../actions/types';
import { formatJsonPath } from './errors';
import type { SchemaProblem } from './rule-file';
import { lifecycleStages, type FiredAction, type RuleAudience, type TemplateExists } from './types';

/** An action as the file gives it, in either format. */
export interface ActionInput {
  type: ActionType;
  template?: string;
  params?: Record<string, unknown>;
  audience?: RuleAudience;
}

const templateLayout: Record<'email' | 'notice' | 'task', string> = {
  email: 'email/<name>.subject.hbs, .html.hbs and .text.hbs',
  notice: 'notice/<name>.hbs',
  task: 'task/<name>.hbs',
};

/**
 * Resolves an action's audience. An action's own audience wins. Emails and
 * notices otherwise take the rule's, tasks go to the CSM, and webhooks and
 * stage changes go to the account.
 */
function resolveAudience(
  action: ActionInput,
  ruleAudience: RuleAudience | undefined,
): RuleAudience {
  if (action.audience) return action.audience;
  if (action.type === 'task') return { csm: true };
  if (action.type === 'email' || action.type === 'notice') return ruleAudience ?? { users: {} };
  return { account: true };
}

/** Lists every problem of one action, so a single run of the check reports them all. */
function checkAction(action: ActionInput, templateExists: TemplateExists): string[] {
  if (action.type === 'webhook' || action.type === 'stage') return checkTemplateless(action);
  const { type } = action;
  const problems = type === 'task' ? checkTaskParams(action.params ?? {}) : [];
  const template = checkTemplate({ ...action, type }, templateExists);
  return template === undefined ? problems : [...problems, template];
}

function checkTemplateless(action: ActionInput): string[] {
  const params = action.params ?? {};
  const problems: string[] = [];
  if (action.template !== undefined) problems.push(`${action.type} actions take no template`);
  if (action.type === 'webhook' && !/^https?:\/\/\S+$/.test(String(params.url ?? ''))) {
    problems.push('webhook actions need params.url, an http or https URL');
  }
  if (action.type === 'stage' && !(lifecycleStages as readonly unknown[]).includes(params.stage)) {
    problems.push(`stage actions need params.stage, one of ${lifecycleStages.join(', ')}`);
  }
  return problems;
}

function checkTaskParams(params: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const priority = readTaskPriority(params.priority);
  if (typeof priority !== 'string') problems.push(`params.priority: ${priority.reason}`);
  const dueInDays = readTaskDueInDays(params.dueInDays);
  if (typeof dueInDays !== 'number') problems.push(`params.dueInDays: ${dueInDays.reason}`);
  if (params.closeWhenCleared !== undefined && typeof params.closeWhenCleared !== 'boolean')
    problems.push('params.closeWhenCleared must be true or false');
  return problems;
}

function checkTemplate(
  action: ActionInput & { type: 'email' | 'notice' | 'task' },
  templateExists: TemplateExists,
): string | undefined {
  const params = action.params ?? {};
  if (action.template === undefined) {
    if (action.type === 'task' && typeof params.title === 'string' && params.title !== '')
      return undefined;
    return action.type === 'task'
      ? 'task actions need a template or params.title'
      : `${action.type} actions need a template`;
  }
  if (!templateExists(action.type, action.template)) {
    const folder = templateExists.templatesDir ?? 'templates';
    const expected = templateLayout[action.type].replace('<name>', action.template);
    return `unknown ${action.type} template '${action.template}': expected ${join(folder, expected)}`;
  }
  return undefined;
}

/** Checks the actions and resolves their audiences; problems name the action's JSON path. */
export function buildActions(
  inputs: readonly ActionInput[],
  at: readonly (string | number)[],
  ruleAudience: RuleAudience | undefined,
  templateExists: TemplateExists,
): { actions: FiredAction[]; problems: SchemaProblem[] } {
  const actions: FiredAction[] = [];
  const problems: SchemaProblem[] = [];
  inputs.forEach((input, index) => {
    const jsonPath = formatJsonPath([...at, index]);
    for (const message of checkAction(input, templateExists)) problems.push({ jsonPath, message });
    const action: FiredAction = {
      type: input.type,
      params: input.params ?? {},
      audience: resolveAudience(input, ruleAudience),
    };
    if (input.template !== undefined) action.template = input.template;
    actions.push(action);
  });
  return { actions, problems };
}

/** Turns a json-rules-engine event into an action: `params.template` names the template. */
export function actionFromEvent(event: {
  type: ActionType;
  params?: Record<string, unknown>;
}): ActionInput {
  const { template, ...params } = event.params ?? {};
  const action: ActionInput = { type: event.type, params };
  if (typeof template === 'string') action.template = template;
  return action;
}

import { basename } from 'node:path';
import { checkConditionTree } from './condition-checks';
import { parseConditionTree, type ConditionNode } from './condition-tree';
import { formatJsonPath, type RuleError } from './errors';
import { checkJsonShape } from './json-shape';
import { parseJsonText } from './json-text';
import { actionFromEvent, buildActions, type ActionInput } from './rule-actions';
import {
  cooldownDays,
  describeSchemaIssues,
  envelopeSchema,
  namePattern,
  plainRuleSchema,
  sharedFileSchema,
} from './rule-file';
import {
  lifecycleStages,
  type RuleAudience,
  type RuleDefinition,
  type TemplateExists,
} from './types';

/** A shared condition as one file defines it. */
export interface SharedConditionEntry {
  name: string;
  file: string;
  jsonPath: string;
  conditions: unknown;
  tree: ConditionNode;
}

/** Rules, shared conditions and errors that one file contributes to a rule set. */
export interface FileContribution {
  rules: RuleDefinition[];
  shared: SharedConditionEntry[];
  errors: RuleError[];
}

type Problem = { jsonPath: string; message: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Reads one rule file: a shared-conditions file when its name starts with
 * `_`, a plain json-rules-engine rule when it has `event` and no `actions`,
 * an Uptake rule otherwise. Nothing recursive runs before the depth check.
 */
export function readRuleFile(
  file: string,
  text: string,
  templateExists: TemplateExists,
): FileContribution {
  const empty: FileContribution = { rules: [], shared: [], errors: [] };
  const fail = (problems: Problem[], position?: { line: number; column: number }) => ({
    ...empty,
    errors: problems.map((problem) => ({ file, ...problem, ...position })),
  });
  const parsed = parseJsonText(text);
  if (!parsed.ok) return fail([{ jsonPath: '$', message: parsed.message }], parsed);
  const shape = checkJsonShape(parsed.value);
  if (shape) return fail([shape]);
  if (!isObject(parsed.value)) return fail([{ jsonPath: '$', message: 'expected a JSON object' }]);
  const document = parsed.value;
  if (basename(file).startsWith('_')) return readSharedFile(file, document, fail);
  if ('event' in document && !('actions' in document))
    return readPlainRule(file, document, templateExists, fail);
  return readEnvelope(file, document, templateExists, fail);
}

type Fail = (problems: Problem[]) => FileContribution;

function readSharedFile(
  file: string,
  document: Record<string, unknown>,
  fail: Fail,
): FileContribution {
  const result = sharedFileSchema.safeParse(document);
  if (!result.success)
    return fail(describeSchemaIssues(result.error, Object.keys(sharedFileSchema.shape)));
  const { shared, problems } = readSharedConditions(file, result.data.sharedConditions, [
    'sharedConditions',
  ]);
  return problems.length ? fail(problems) : { rules: [], shared, errors: [] };
}

function readSharedConditions(
  file: string,
  entries: Record<string, unknown>,
  at: string[],
): { shared: SharedConditionEntry[]; problems: Problem[] } {
  const shared: SharedConditionEntry[] = [];
  const problems: Problem[] = [];
  for (const [name, conditions] of Object.entries(entries)) {
    const tree = readConditions(conditions, [...at, name]);
    if ('problems' in tree) problems.push(...tree.problems);
    else
      shared.push({
        name,
        file,
        jsonPath: formatJsonPath([...at, name]),
        conditions,
        tree: tree.tree,
      });
  }
  return { shared, problems };
}

function readConditions(
  raw: unknown,
  at: string[],
): { tree: ConditionNode } | { problems: Problem[] } {
  if (raw === undefined)
    return {
      problems: [
        {
          jsonPath: '$',
          message:
            'missing conditions: expected { "all": [...] }, { "any": [...] } or { "not": {...} }',
        },
      ],
    };
  const parsed = parseConditionTree(raw, at);
  if ('problem' in parsed) return { problems: [parsed.problem] };
  const problems = checkConditionTree(parsed.node);
  return problems.length ? { problems } : { tree: parsed.node };
}

function readPlainRule(
  file: string,
  document: Record<string, unknown>,
  templateExists: TemplateExists,
  fail: Fail,
): FileContribution {
  const result = plainRuleSchema.safeParse(document);
  if (!result.success)
    return fail(describeSchemaIssues(result.error, Object.keys(plainRuleSchema.shape)));
  const rule = result.data;
  const id = rule.name === undefined ? basename(file, '.json') : String(rule.name);
  if (!namePattern.test(id)) {
    return fail([
      {
        jsonPath: rule.name === undefined ? '$' : '$.name',
        message: `rule id '${id}' (from ${rule.name === undefined ? 'the file name' : 'name'}) must contain only letters, digits, ., _ and -; set "name"`,
      },
    ]);
  }
  const conditions = readConditions(rule.conditions, ['conditions']);
  const actionInputs: ActionInput[] = [actionFromEvent(rule.event)];
  // A plain rule has no description, so its event type is used in its place.
  const base = {
    id,
    description: `json-rules-engine rule with a ${rule.event.type} event`,
    priority: rule.priority ?? 1,
  };
  return finish(
    file,
    'json-rules-engine',
    base,
    conditions,
    actionInputs,
    ['event'],
    templateExists,
    undefined,
    rule.conditions,
    fail,
  );
}

function readEnvelope(
  file: string,
  document: Record<string, unknown>,
  templateExists: TemplateExists,
  fail: Fail,
): FileContribution {
  const result = envelopeSchema.safeParse(document);
  if (!result.success)
    return fail(describeSchemaIssues(result.error, Object.keys(envelopeSchema.shape)));
  const rule = result.data;
  const conditions = readConditions(rule.conditions, ['conditions']);
  const shared = readSharedConditions(file, rule.sharedConditions ?? {}, ['sharedConditions']);
  if (shared.problems.length) return fail(shared.problems);
  const contribution = finish(
    file,
    'uptake',
    rule,
    conditions,
    rule.actions,
    ['actions'],
    templateExists,
    rule.audience,
    rule.conditions,
    fail,
  );
  return contribution.errors.length ? contribution : { ...contribution, shared: shared.shared };
}

type RuleBase = {
  id: string;
  description: string;
  priority?: number;
  stages?: (typeof lifecycleStages)[number][];
  enabled?: boolean;
  cooldown?: number | string;
  limitPerTerm?: number;
  holdoutShare?: number;
};

function finish(
  file: string,
  format: RuleDefinition['format'],
  rule: RuleBase,
  conditions: { tree: ConditionNode } | { problems: Problem[] },
  actionInputs: readonly ActionInput[],
  actionsAt: string[],
  templateExists: TemplateExists,
  audience: RuleAudience | undefined,
  rawConditions: unknown,
  fail: Fail,
): FileContribution {
  const { actions, problems } = buildActions(actionInputs, actionsAt, audience, templateExists);
  // A plain rule's single action is its event.
  const actionProblems =
    format === 'json-rules-engine'
      ? problems.map((problem) => ({ ...problem, jsonPath: '$.event' }))
      : problems;
  if ('problems' in conditions) return fail([...conditions.problems, ...actionProblems]);
  if (actionProblems.length) return fail(actionProblems);
  const definition: RuleDefinition = {
    id: rule.id,
    description: rule.description,
    file,
    format,
    stages: rule.stages ?? lifecycleStages,
    priority: rule.priority ?? 1,
    enabled: rule.enabled ?? true,
    actions,
    cooldownDays: cooldownDays(rule.cooldown),
    limitPerTerm: rule.limitPerTerm ?? null,
    holdoutShare: rule.holdoutShare ?? 0,
    conditions: rawConditions,
    tree: conditions.tree,
  };
  return { rules: [definition], shared: [], errors: [] };
}

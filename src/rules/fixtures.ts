import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { factCatalog } from '../signals/catalog';
import { actionTypes } from '../actions/types';
import { formatJsonPath, withSuggestion, type RuleError } from './errors';
import { evaluateRules } from './evaluate';
import { describeFailedConditions } from './explanation';
import { defaultFixtureFacts } from './fixture-facts';
import { parseJsonText } from './json-text';
import { checkJsonShape } from './json-shape';
import type { Evaluation, RuleSet } from './types';
import { lifecycleStages } from './types';

const expectedAction = z.strictObject({
  rule: z.string().min(1),
  type: z.enum(actionTypes),
  template: z.string().optional(),
});

const fixtureCase = z.strictObject({
  name: z.string().min(1),
  stage: z.enum(lifecycleStages),
  /** Epoch ms or ISO instant for the duration operators. */
  asOf: z.union([z.number(), z.iso.datetime()]).optional(),
  facts: z.record(z.string(), z.unknown()).default({}),
  expectActions: z.array(expectedAction).default([]),
  expectNotFired: z.array(z.string().min(1)).default([]),
  /** When true, no action beyond expectActions may fire. */
  exact: z.boolean().default(false),
});

/** A fixture file: cases of facts and a stage with the actions expected. */
export const fixtureFileSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  cases: z.array(fixtureCase).min(1),
});

type FixtureCase = z.infer<typeof fixtureCase>;

/** Outcome of one fixture case. When it failed, `diff` contains readable lines. */
export interface FixtureCaseResult {
  file: string;
  name: string;
  passed: boolean;
  diff: string[];
}

/** Fixture files of a rule folder: `fixtures/*.json` and `*.test.json`. */
export function listFixtureFiles(dir: string): string[] {
  const inFolder = existsSync(join(dir, 'fixtures'))
    ? readdirSync(join(dir, 'fixtures'))
        .filter((name) => name.endsWith('.json'))
        .map((name) => join(dir, 'fixtures', name))
    : [];
  const beside = readdirSync(dir)
    .filter((name) => name.endsWith('.test.json'))
    .map((name) => join(dir, name));
  return [...inFolder, ...beside].sort();
}

/** Reads and checks a fixture file; facts must be catalog facts and rules must exist. */
export function readFixtureFile(
  file: string,
  ruleSet: RuleSet,
): { cases: FixtureCase[] } | { errors: RuleError[] } {
  const parsed = parseJsonText(readFileSync(file, 'utf8'));
  if (!parsed.ok)
    return {
      errors: [
        { file, jsonPath: '$', message: parsed.message, line: parsed.line, column: parsed.column },
      ],
    };
  const shape = checkJsonShape(parsed.value);
  if (shape) return { errors: [{ file, ...shape }] };
  const result = fixtureFileSchema.safeParse(parsed.value);
  if (!result.success) {
    return {
      errors: result.error.issues.map((issue) => ({
        file,
        jsonPath: formatJsonPath(issue.path.filter((key) => typeof key !== 'symbol')),
        message: issue.message,
      })),
    };
  }
  const errors = result.data.cases.flatMap((testCase, index) =>
    checkCase(file, testCase, index, ruleSet),
  );
  return errors.length ? { errors } : { cases: result.data.cases };
}

function checkCase(
  file: string,
  testCase: FixtureCase,
  index: number,
  ruleSet: RuleSet,
): RuleError[] {
  const errors: RuleError[] = [];
  const ruleIds = new Set(ruleSet.rules.map((rule) => rule.definition.id));
  const at = (...segments: (string | number)[]) => formatJsonPath(['cases', index, ...segments]);
  for (const fact of Object.keys(testCase.facts)) {
    if (!Object.prototype.hasOwnProperty.call(factCatalog, fact)) {
      errors.push({
        file,
        jsonPath: at('facts', fact),
        message: withSuggestion(`unknown fact '${fact}'`, fact, Object.keys(factCatalog)),
      });
    }
  }
  const named = [
    ...testCase.expectActions.map((action) => action.rule),
    ...testCase.expectNotFired,
  ];
  for (const rule of named.filter((id) => !ruleIds.has(id))) {
    errors.push({
      file,
      jsonPath: at(),
      message: withSuggestion(`unknown rule '${rule}'`, rule, ruleIds),
    });
  }
  return errors;
}

const describeAction = (rule: string, type: string, template?: string) =>
  `${rule} ${type}${template ? ' ' + template : ''}`;

/** Runs one case: facts merged over the default fixture facts, evaluated with explanations. */
export function runFixtureCase(
  file: string,
  testCase: FixtureCase,
  ruleSet: RuleSet,
): FixtureCaseResult {
  const facts = { ...defaultFixtureFacts, ...testCase.facts };
  const asOf = typeof testCase.asOf === 'string' ? Date.parse(testCase.asOf) : testCase.asOf;
  const evaluation = evaluateRules(facts, testCase.stage, ruleSet, { explain: true, asOf });
  const actual = evaluation.fired.flatMap((rule) =>
    rule.actions.map((action) => describeAction(rule.id, action.type, action.template)),
  );
  const expected = testCase.expectActions.map((action) =>
    describeAction(action.rule, action.type, action.template),
  );
  const missing = expected.filter((line) => !actual.includes(line));
  const firedIds = new Set(evaluation.fired.map((rule) => rule.id));
  const unexpected = [
    ...testCase.expectNotFired
      .filter((id) => firedIds.has(id))
      .map((id) => `${id} fired but was expected not to`),
    ...(testCase.exact ? actual.filter((line) => !expected.includes(line)) : []),
  ];
  const diff = formatDiff(missing, unexpected, evaluation);
  return { file, name: testCase.name, passed: diff.length === 0, diff };
}

function formatDiff(missing: string[], unexpected: string[], evaluation: Evaluation): string[] {
  if (missing.length === 0 && unexpected.length === 0) return [];
  const lines = [
    ...missing.map((line) => `- ${line}   (expected, missing)`),
    ...unexpected.map((line) => `+ ${line}`),
  ];
  const missingRules = new Set(missing.map((line) => line.split(' ')[0]));
  for (const explanation of evaluation.explanations ?? []) {
    if (!missingRules.has(explanation.id)) continue;
    if (explanation.status !== 'not-fired')
      lines.push(
        `    ${explanation.id}: ${explanation.status}${explanation.reason ? ' (' + explanation.reason + ')' : ''}`,
      );
    else
      for (const reason of describeFailedConditions(explanation.conditions))
        lines.push(`    ${explanation.id}: ${reason}`);
  }
  for (const error of evaluation.errors) lines.push(`    ${error.ruleId}: error: ${error.message}`);
  return lines;
}

/** Runs every fixture of a folder against a rule set. */
export function runFixtures(
  dir: string,
  ruleSet: RuleSet,
): { results: FixtureCaseResult[]; errors: RuleError[] } {
  const results: FixtureCaseResult[] = [];
  const errors: RuleError[] = [];
  for (const file of listFixtureFiles(dir)) {
    const read = readFixtureFile(file, ruleSet);
    if ('errors' in read) errors.push(...read.errors);
    else results.push(...read.cases.map((testCase) => runFixtureCase(file, testCase, ruleSet)));
  }
  return { results, errors };
}

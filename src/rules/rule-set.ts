import { createHash } from 'node:crypto';
import { ConditionCompiler } from './compile';
import { collectReferences } from './condition-checks';
import type { ConditionNode } from './condition-tree';
import type { RuleError } from './errors';
import type { FileContribution, SharedConditionEntry } from './read-rule-file';
import type { CompiledRule, RuleDefinition, RuleSet, SkippedRule, StagePlan } from './types';
import { lifecycleStages } from './types';

/** A rule file's name and text, as read from the folder. */
export interface RuleFileText {
  file: string;
  text: string;
}

/** SHA-256 of the files' names and texts in name order, first 16 hex digits. */
export function ruleSetVersion(files: readonly RuleFileText[]): string {
  const hash = createHash('sha256');
  for (const { file, text } of [...files].sort((left, right) =>
    left.file < right.file ? -1 : 1,
  )) {
    hash
      .update(file.split(/[\\/]/).pop() ?? file)
      .update('\0')
      .update(text)
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Checks what spans files: duplicate ids and names, undefined references and cycles. */
export function checkAcrossFiles(contributions: readonly FileContribution[]): RuleError[] {
  const rules = contributions.flatMap((contribution) => contribution.rules);
  const shared = contributions.flatMap((contribution) => contribution.shared);
  const errors = [...findDuplicateRules(rules), ...findDuplicateShared(shared)];
  const sharedNames = new Set(shared.map((entry) => entry.name));
  const owners: { file: string; tree: ConditionNode }[] = [...rules, ...shared];
  for (const { file, tree } of owners) {
    for (const reference of collectReferences(tree)) {
      if (!sharedNames.has(reference.name)) {
        errors.push({
          file,
          jsonPath: reference.jsonPath,
          message: `condition '${reference.name}' is not defined: add it under sharedConditions (in this file or in rules/_conditions.json)`,
        });
      }
    }
  }
  return [...errors, ...findCycles(shared)];
}

function findDuplicateRules(rules: readonly RuleDefinition[]): RuleError[] {
  const seen = new Map<string, RuleDefinition>();
  const errors: RuleError[] = [];
  for (const rule of rules) {
    const first = seen.get(rule.id);
    if (first)
      errors.push({
        file: rule.file,
        jsonPath: '$.id',
        message: `duplicate rule id '${rule.id}': ${first.file} defines it too`,
      });
    else seen.set(rule.id, rule);
  }
  return errors;
}

function findDuplicateShared(shared: readonly SharedConditionEntry[]): RuleError[] {
  const seen = new Map<string, SharedConditionEntry>();
  const errors: RuleError[] = [];
  for (const entry of shared) {
    const first = seen.get(entry.name);
    if (first)
      errors.push({
        file: entry.file,
        jsonPath: entry.jsonPath,
        message: `duplicate shared condition '${entry.name}': ${first.file} defines it too`,
      });
    else seen.set(entry.name, entry);
  }
  return errors;
}

/** Reports each cycle of shared conditions once, without recursion. */
function findCycles(shared: readonly SharedConditionEntry[]): RuleError[] {
  const entries = new Map(shared.map((entry) => [entry.name, entry]));
  const edges = new Map(
    shared.map((entry) => [entry.name, collectReferences(entry.tree).map((ref) => ref.name)]),
  );
  const state = new Map<string, 'open' | 'done'>();
  const errors: RuleError[] = [];
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
    state.set(start, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { name: string; next: number };
      const target = (edges.get(top.name) ?? [])[top.next++];
      if (target === undefined) {
        state.set(top.name, 'done');
        stack.pop();
      } else if (state.get(target) === 'open') {
        const chain = stack
          .slice(stack.findIndex((frame) => frame.name === target))
          .map((frame) => frame.name);
        const entry = entries.get(target) as SharedConditionEntry;
        errors.push({
          file: entry.file,
          jsonPath: entry.jsonPath,
          message: `shared conditions refer to each other in a cycle: ${[...chain, target].join(' -> ')}`,
        });
        for (const frame of stack) state.set(frame.name, 'done');
        break;
      } else if (!state.has(target) && edges.has(target)) {
        state.set(target, 'open');
        stack.push({ name: target, next: 0 });
      }
    }
  }
  return errors;
}

function byPriorityThenId(left: CompiledRule, right: CompiledRule): number {
  const priority = right.definition.priority - left.definition.priority;
  if (priority !== 0) return priority;
  return left.definition.id < right.definition.id ? -1 : 1;
}

/** Compiles checked contributions into a rule set. Call only when `checkAcrossFiles` found nothing. */
export function compileRuleSet(
  contributions: readonly FileContribution[],
  files: readonly RuleFileText[],
): RuleSet {
  const shared = contributions.flatMap((contribution) => contribution.shared);
  const compiler = new ConditionCompiler(new Map(shared.map((entry) => [entry.name, entry.tree])));
  const rules = contributions
    .flatMap((contribution) => contribution.rules)
    .map((definition): CompiledRule => ({
      definition,
      condition: compiler.compile(definition.tree),
      fired: firedRule(definition),
    }))
    .sort(byPriorityThenId);
  return {
    version: ruleSetVersion(files),
    rules,
    sharedConditions: new Map(shared.map((entry) => [entry.name, entry.conditions])),
    files: files.map((file) => file.file).sort(),
    stagePlans: new Map(lifecycleStages.map((stage) => [stage, planStage(rules, stage)])),
  };
}

function firedRule(definition: RuleDefinition): CompiledRule['fired'] {
  const { id, description, priority, actions, cooldownDays, limitPerTerm, holdoutShare } =
    definition;
  return deepFreeze({
    id,
    description,
    priority,
    actions,
    cooldownDays,
    limitPerTerm,
    holdoutShare,
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Splits the rules into active and skipped ones for a stage. An unknown stage skips every rule. */
export function planStage(rules: readonly CompiledRule[], stage: string): StagePlan {
  const active: CompiledRule[] = [];
  const skipped: SkippedRule[] = [];
  for (const rule of rules) {
    const { id, enabled, stages } = rule.definition;
    if (!enabled) skipped.push({ id, reason: 'disabled' });
    else if (!(stages as readonly string[]).includes(stage))
      skipped.push({ id, reason: `not active in stage ${stage} (stages: ${stages.join(', ')})` });
    else active.push(rule);
  }
  // Only the lists are frozen: json-rules-engine writes to the raw conditions it is given.
  return Object.freeze({ active: Object.freeze(active), skipped: deepFreeze(skipped) });
}

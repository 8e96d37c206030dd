import type { ConditionNode } from './condition-tree';
import type { ConditionExplanation } from './explanation';
import { compileFactRead, type Facts } from './fact-read';
import {
  type EvaluationContext,
  operatorMayThrow,
  parseOperatorName,
  resolveOperator,
} from './operators';
import { compileFactTest } from './fact-test';

export type { Facts } from './fact-read';

/** A compiled predicate over facts. */
export type ConditionTest = (facts: Facts, context: EvaluationContext) => boolean;

/** A condition compiled into closures: a fast test and a slower explaining twin. */
export interface CompiledCondition {
  priority: number;
  /** True when evaluation can throw, so siblings are evaluated eagerly. */
  mayThrow: boolean;
  test: ConditionTest;
  explain(facts: Facts, context: EvaluationContext): ConditionExplanation;
  /** The condition as written, with no result: for parts that were not evaluated. */
  describe(): ConditionExplanation;
}

/**
 * Compiles condition trees into closures with json-rules-engine 7's
 * semantics. Within all/any, children are grouped by priority (highest
 * first), and a group is evaluated only while the result is still open. An
 * empty all or any is true. Shared conditions are compiled once, and every
 * reference reuses their closures.
 */
export class ConditionCompiler {
  private readonly compiledShared = new Map<string, CompiledCondition>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly shared: ReadonlyMap<string, ConditionNode>) {}

  /** Compiles one tree; throws on an undefined or cyclic reference (validation reports those first). */
  compile(node: ConditionNode): CompiledCondition {
    switch (node.kind) {
      case 'all':
      case 'any':
        return compileGroup(
          node.kind,
          node.children.map((child) => this.compile(child)),
          node,
        );
      case 'not':
        return compileNot(this.compile(node.child), node);
      case 'reference':
        return compileReference(this.compileShared(node.reference), node);
      case 'fact':
        return compileFact(node);
    }
  }

  private compileShared(name: string): CompiledCondition {
    const done = this.compiledShared.get(name);
    if (done) return done;
    const node = this.shared.get(name);
    if (!node) throw new Error(`no shared condition named '${name}'`);
    if (this.inProgress.has(name)) throw new Error(`shared condition '${name}' refers to itself`);
    this.inProgress.add(name);
    const compiled = this.compile(node);
    this.inProgress.delete(name);
    this.compiledShared.set(name, compiled);
    return compiled;
  }
}

type Labels = { priority: number; name?: string };

function labels(node: Labels): Labels {
  return node.name === undefined
    ? { priority: node.priority }
    : { priority: node.priority, name: node.name };
}

function compileFact(node: Extract<ConditionNode, { kind: 'fact' }>): CompiledCondition {
  const operator = resolveOperator(node.operator);
  const name = parseOperatorName(node.operator);
  if (!operator || !name) throw new Error(`unknown operator '${node.operator}'`);
  const readFact = compileFactRead(node);
  const readValue = node.valueFact ? compileFactRead(node.valueFact) : () => node.value;
  const describe = (): ConditionExplanation => {
    const explanation: ConditionExplanation = {
      kind: 'fact',
      fact: node.fact,
      operator: node.operator,
      value: node.value,
      ...labels(node),
    };
    if (node.path !== undefined) explanation.path = node.path;
    if (node.params !== undefined) explanation.params = node.params;
    return explanation;
  };
  return {
    priority: node.priority,
    mayThrow: operatorMayThrow(name, node.value, node.valueFact !== undefined),
    test: compileFactTest(node, name, operator, readFact),
    describe,
    explain(facts, context) {
      const factValue = readFact(facts);
      const expected = readValue(facts);
      const result = operator(factValue, expected, context);
      return { ...describe(), factValue, expected, result } as ConditionExplanation;
    },
  };
}

function compileNot(child: CompiledCondition, node: Labels): CompiledCondition {
  const childTest = child.test;
  const describe = (): ConditionExplanation => ({
    kind: 'not',
    ...labels(node),
    condition: child.describe(),
  });
  return {
    priority: node.priority,
    mayThrow: child.mayThrow,
    test: (facts, context) => !childTest(facts, context),
    describe,
    explain(facts, context) {
      const condition = child.explain(facts, context);
      return { kind: 'not', ...labels(node), result: condition.result !== true, condition };
    },
  };
}

function compileReference(
  target: CompiledCondition,
  node: Labels & { reference: string },
): CompiledCondition {
  const base = { kind: 'reference' as const, reference: node.reference, ...labels(node) };
  return {
    priority: node.priority,
    mayThrow: target.mayThrow,
    test: target.test,
    describe: () => ({ ...base }),
    explain(facts, context) {
      const condition = target.explain(facts, context);
      return { ...base, result: condition.result === true, condition };
    },
  };
}

/** Child indexes grouped by priority, highest priority first. */
function groupByPriority(children: readonly CompiledCondition[]): number[][] {
  const groups = new Map<number, number[]>();
  children.forEach((child, index) => {
    const group = groups.get(child.priority) ?? [];
    group.push(index);
    groups.set(child.priority, group);
  });
  return [...groups.entries()].sort(([left], [right]) => right - left).map(([, group]) => group);
}

function compileGroup(
  kind: 'all' | 'any',
  children: CompiledCondition[],
  node: Labels,
): CompiledCondition {
  const groups = groupByPriority(children);
  const describe = (): ConditionExplanation => ({
    kind,
    ...labels(node),
    conditions: children.map((child) => child.describe()),
  });
  return {
    priority: node.priority,
    mayThrow: children.some((child) => child.mayThrow),
    test: buildGroupTest(
      kind,
      groups.map((group) => group.map((index) => children[index] as CompiledCondition)),
    ),
    describe,
    explain(facts, context) {
      const explained: ConditionExplanation[] = children.map((child) => child.describe());
      let result = kind === 'all';
      let open = true;
      for (const group of groups) {
        if (!open) break;
        const results = group.map((index) => {
          const explanation = (children[index] as CompiledCondition).explain(facts, context);
          explained[index] = explanation;
          return explanation.result === true;
        });
        result = kind === 'all' ? results.every(Boolean) : results.some(Boolean);
        open = kind === 'all' ? result : !result;
      }
      return {
        kind,
        ...labels(node),
        result: children.length === 0 || result,
        conditions: explained,
      };
    },
  };
}

function buildGroupTest(kind: 'all' | 'any', groups: CompiledCondition[][]): ConditionTest {
  if (groups.length === 0) return () => true;
  const tests = groups.map((group) => buildSameGroupTest(kind, group));
  if (tests.length === 1) return tests[0] as ConditionTest;
  if (kind === 'all') {
    return (facts, context) => {
      for (const test of tests) if (!test(facts, context)) return false;
      return true;
    };
  }
  return (facts, context) => {
    for (const test of tests) if (test(facts, context)) return true;
    return false;
  };
}

/**
 * Builds the test of one priority group. json-rules-engine evaluates a whole
 * group even once the result is known. That only matters when a member can
 * throw, so such groups are evaluated eagerly and the others stop at the
 * first decisive member.
 */
function buildSameGroupTest(kind: 'all' | 'any', group: CompiledCondition[]): ConditionTest {
  const tests = group.map((child) => child.test);
  if (tests.length === 1) return tests[0] as ConditionTest;
  const eager = group.some((child) => child.mayThrow);
  if (kind === 'all' && !eager) {
    return (facts, context) => {
      for (const test of tests) if (!test(facts, context)) return false;
      return true;
    };
  }
  if (kind === 'any' && !eager) {
    return (facts, context) => {
      for (const test of tests) if (test(facts, context)) return true;
      return false;
    };
  }
  return (facts, context) => {
    let passed = 0;
    for (const test of tests) if (test(facts, context)) passed++;
    return kind === 'all' ? passed === tests.length : passed > 0;
  };
}

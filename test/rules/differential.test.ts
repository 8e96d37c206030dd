import { join } from 'node:path';
import fc from 'fast-check';
import { ConditionCompiler, type CompiledCondition } from '../../src/rules/compile';
import { parseConditionTree, type ConditionNode } from '../../src/rules/condition-tree';
import type { ConditionExplanation } from '../../src/rules/explanation';
import { evaluateRules } from '../../src/rules/evaluate';
import { defaultFixtureFacts } from '../../src/rules/fixture-facts';
import { loadRuleSet } from '../../src/rules/load';
import { runReferenceEngine } from '../../src/rules/reference-engine';
import type { RuleSet } from '../../src/rules/types';

// Differential tests: the compiled evaluator against json-rules-engine 7
// itself, over generated condition trees and facts. Facts are plain objects
// as JSON.parse and the signals produce them: an object without a prototype
// makes parseFloat throw in both engines, which is outside that domain.

const factNames = ['a', 'b', 'list', 'obj', 'when', 'absent'];
const asOf = Date.UTC(2026, 11, 4);

const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0.5, 2.5, 100),
  fc.constantFrom('x', 'y', '', '12', '3abc', 'xy'),
);
const instant = fc.oneof(
  fc.integer({ min: asOf - 40 * 86_400_000, max: asOf + 86_400_000 }),
  fc.constantFrom('2026-11-01', '2026-12-01T10:00:00Z', 'not a date'),
);
const shallowObject = fc.record(
  {
    p: scalar,
    q: fc.array(scalar, { maxLength: 3 }),
    '*': scalar,
    s: fc.array(fc.record({ t: scalar }, { noNullPrototype: true }), { maxLength: 2 }),
  },
  { requiredKeys: [], noNullPrototype: true },
);
const factValue = fc.oneof(
  { weight: 3, arbitrary: scalar },
  { weight: 2, arbitrary: fc.array(scalar, { maxLength: 4 }) },
  { weight: 2, arbitrary: shallowObject },
  { weight: 1, arbitrary: fc.array(shallowObject, { maxLength: 2 }) },
  { weight: 1, arbitrary: instant },
);
const factsArbitrary = fc.dictionary(fc.constantFrom(...factNames), factValue, {
  maxKeys: 6,
  noNullPrototype: true,
});

const pathArbitrary = fc
  .array(fc.constantFrom('.p', '.q', "['s']", '[0]', '[1]', '.t', '[*]', '.*', '["p"]'), {
    minLength: 0,
    maxLength: 3,
  })
  .map((segments) => '$' + segments.join(''));

const operators = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'isEmpty',
  'isNotEmpty',
  'olderThanDays',
  'withinLastDays',
  'percentileBelow',
  'not:equal',
  'someFact:greaterThan',
  'everyFact:lessThan',
  'someValue:equal',
  'everyValue:notEqual',
  'swap:contains',
  'swap:in',
  'not:someFact:equal',
  'someFact:in',
];

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const withOptional = (base: Record<string, unknown>, extra: Record<string, unknown>) => {
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) out[key] = value;
  return out;
};

const factReference = fc
  .record({ fact: fc.constantFrom(...factNames), path: optional(pathArbitrary) })
  .map(({ fact, path }) => withOptional({ fact }, { path }));
const conditionValue = fc.oneof(
  { weight: 3, arbitrary: scalar },
  { weight: 2, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.record(
      { signal: fc.constantFrom('p', 'a'), percentile: fc.integer({ min: 0, max: 3 }) },
      { noNullPrototype: true },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('x', 'xy') },
  { weight: 2, arbitrary: factReference },
);
const priority = optional(fc.integer({ min: 1, max: 3 }));

const leaf = fc
  .record({
    fact: fc.constantFrom(...factNames),
    operator: fc.constantFrom(...operators),
    value: conditionValue,
    path: optional(pathArbitrary),
    params: optional(fc.constant({ unit: 'days' })),
    priority,
  })
  .map(({ fact, operator, value, path, params, priority: rank }) =>
    withOptional({ fact, operator, value }, { path, params, priority: rank }),
  );

function treeArbitrary(references: string[]): fc.Arbitrary<Record<string, unknown>> {
  const reference = references.length
    ? [
        fc
          .record({ condition: fc.constantFrom(...references), priority })
          .map((node) => withOptional({ condition: node.condition }, { priority: node.priority })),
      ]
    : [];
  const { tree } = fc.letrec<{ tree: Record<string, unknown>; node: Record<string, unknown> }>(
    (tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc
          .record({ all: fc.array(tie('node'), { maxLength: 4 }), priority })
          .map((n) => withOptional({ all: n.all }, { priority: n.priority })),
        fc
          .record({ any: fc.array(tie('node'), { maxLength: 4 }), priority })
          .map((n) => withOptional({ any: n.any }, { priority: n.priority })),
        fc.record({ not: tie('node') }),
        ...reference,
      ),
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, leaf, tie('tree')),
    }),
  );
  return tree;
}

/** Shared conditions: the i-th may refer only to later ones, so there is no cycle. */
const sharedArbitrary = fc.integer({ min: 0, max: 3 }).chain((count) => {
  const names = Array.from({ length: count }, (_, index) => `shared-${index}`);
  return fc
    .tuple(...names.map((_, index) => treeArbitrary(names.slice(index + 1))))
    .map((trees) => new Map(names.map((name, index) => [name, trees[index]] as const)));
});

const caseArbitrary = sharedArbitrary.chain((shared) =>
  fc.record({
    shared: fc.constant(shared),
    rules: fc.array(
      fc.record({
        conditions: treeArbitrary([...shared.keys()]),
        priority: fc.integer({ min: 1, max: 3 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    facts: factsArbitrary,
    withInstant: fc.boolean(),
  }),
);

function parse(raw: unknown): ConditionNode {
  const parsed = parseConditionTree(raw, []);
  if ('problem' in parsed) throw new Error(`generated tree rejected: ${parsed.problem.message}`);
  return parsed.node;
}

type Comparable = {
  kind: string;
  result?: unknown;
  factValue?: unknown;
  expected?: unknown;
  children?: Comparable[];
};

function fromEngine(node: Record<string, unknown>): Comparable {
  for (const kind of ['all', 'any'] as const) {
    if (Array.isArray(node[kind]))
      return {
        kind,
        result: node.result,
        children: (node[kind] as Record<string, unknown>[]).map(fromEngine),
      };
  }
  if (node.not)
    return {
      kind: 'not',
      result: node.result,
      children: [fromEngine(node.not as Record<string, unknown>)],
    };
  if ('condition' in node) return { kind: 'unevaluated reference' };
  return {
    kind: 'fact',
    result: node.result,
    factValue: node.factResult,
    expected: node.valueResult,
  };
}

function fromExplanation(node: ConditionExplanation): Comparable {
  switch (node.kind) {
    case 'all':
    case 'any':
      return {
        kind: node.kind,
        result: node.result,
        children: node.conditions.map(fromExplanation),
      };
    case 'not':
      return { kind: 'not', result: node.result, children: [fromExplanation(node.condition)] };
    case 'reference':
      return node.condition ? fromExplanation(node.condition) : { kind: 'unevaluated reference' };
    case 'fact':
      return {
        kind: 'fact',
        result: node.result,
        factValue: node.factValue,
        expected: node.expected,
      };
  }
}

interface Outcome {
  fired: string[];
  errors: string[];
  explanations: Map<string, Comparable>;
}

function attempt<T>(run: () => T): T | Error {
  try {
    return run();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Runs the fast test and the explanation separately: both must agree, errors included. */
function evaluateCompiled(
  rules: { id: string; compiled: CompiledCondition }[],
  facts: object,
  instant: number | undefined,
): Outcome {
  const outcome: Outcome = { fired: [], errors: [], explanations: new Map() };
  const typedFacts = facts as Record<string, unknown>;
  for (const { id, compiled } of rules) {
    const fired = attempt(() => compiled.test(typedFacts, { asOf: instant }));
    const explanation = attempt(() => compiled.explain(typedFacts, { asOf: instant }));
    if (fired instanceof Error || explanation instanceof Error) {
      if (!(fired instanceof Error && explanation instanceof Error)) {
        throw new Error(`test and explain disagree on whether ${id} throws`);
      }
      outcome.errors.push(id);
      continue;
    }
    if (fired !== (explanation.result === true))
      throw new Error(`test and explain disagree on ${id}`);
    if (fired) outcome.fired.push(id);
    outcome.explanations.set(id, fromExplanation(explanation));
  }
  return outcome;
}

function activeIds(ruleSet: RuleSet, stage: string): Set<string> {
  return new Set(ruleSet.stagePlans.get(stage)?.active.map((rule) => rule.definition.id));
}

describe('compiled evaluator vs json-rules-engine', () => {
  it('gives identical results on generated rules', async () => {
    const seen = { fired: 0, notFired: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async ({ shared, rules, facts, withInstant }) => {
        const instant = withInstant ? asOf : undefined;
        const compiler = new ConditionCompiler(
          new Map([...shared].map(([name, raw]) => [name, parse(raw)])),
        );
        const ids = rules.map((rule, index) => ({ ...rule, id: `rule-${index}` }));
        const compiled = ids.map((rule) => ({
          id: rule.id,
          compiled: compiler.compile(parse(rule.conditions)),
        }));
        const mine = evaluateCompiled(compiled, facts, instant);

        const reference = await runReferenceEngine(ids, shared, facts, { asOf: instant }).then(
          (outcome) => outcome,
          () => undefined,
        );
        if (reference === undefined) {
          seen.rejected++;
          expect(mine.errors.length).toBeGreaterThan(0);
          return;
        }
        seen.fired += mine.fired.length;
        seen.notFired += ids.length - mine.fired.length;
        expect(mine.errors).toEqual([]);
        expect([...mine.fired].sort()).toEqual([...reference.fired].sort());
        for (const { id } of ids) {
          const engineResult = reference.results.get(id);
          // The engine sets no result on the root condition, only on the rule.
          const root = {
            ...fromEngine(engineResult?.conditions as Record<string, unknown>),
            result: engineResult?.result,
          };
          expect(mine.explanations.get(id)).toEqual(root);
        }
      }),
      { numRuns: 400 },
    );

    // The generators must reach every outcome, or the comparison proves little.
    expect(seen.fired).toBeGreaterThan(50);
    expect(seen.notFired).toBeGreaterThan(50);
    expect(seen.rejected).toBeGreaterThan(5);
  });

  it('agrees on the default playbook', async () => {
    const load = loadRuleSet(join(__dirname, '../../rules'), { templateExists: () => true });
    if (!load.ok) throw new Error('default playbook invalid');
    const ruleSet = load.ruleSet;
    const references = ruleSet.rules.map(({ definition }) => ({
      id: definition.id,
      priority: definition.priority,
      conditions: definition.conditions,
    }));
    const playbookFacts = fc.record({
      usersBelowCadence: fc.integer({ min: 0, max: 2 }),
      keyFeaturesNeverUsed: fc.constantFrom([], ['api']),
      newFeaturesNotTried: fc.constantFrom([], ['ai-summary']),
      accountAgeDays: fc.integer({ min: 0, max: 90 }),
      overdueMilestones: fc.integer({ min: 0, max: 1 }),
      goalsMet: fc.integer({ min: 0, max: 1 }),
      ticketsFirst30Days: fc.integer({ min: 0, max: 6 }),
      usageTrend: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: null }),
      daysToRenewal: fc.option(fc.integer({ min: -5, max: 100 }), { nil: null }),
      percentiles: fc.constantFrom({}, { activeDaysLast30: 10 }, { activeDaysLast30: 25 }),
      healthScore: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
      isEarlyAdopter: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        playbookFacts,
        fc.constantFrom('onboarding', 'adoption', 'renewal'),
        async (partial, stage) => {
          const facts = { ...defaultFixtureFacts, ...partial };
          const mine = evaluateRules(facts, stage, ruleSet).fired.map((rule) => rule.id);
          const reference = await runReferenceEngine(
            references.filter((rule) => activeIds(ruleSet, stage).has(rule.id)),
            ruleSet.sharedConditions,
            facts,
            { asOf },
          );
          expect([...mine].sort()).toEqual([...reference.fired].sort());
        },
      ),
      { numRuns: 200 },
    );
  });
});

import { join } from 'node:path';
import { evaluateRules } from '../src/rules/evaluate';
import { defaultFixtureFacts } from '../src/rules/fixture-facts';
import { loadRuleSet } from '../src/rules/load';
import { runReferenceEngine } from '../src/rules/reference-engine';
import type { RuleSet } from '../src/rules/types';
import type { AccountFacts } from '../src/signals/catalog';
import type { Bench, BenchFigure } from './types';

const factSetCount = 100_000;
/** json-rules-engine is measured on this many of the fact sets: all 100k would take minutes. */
const referenceCount = 5_000;
const stages = ['onboarding', 'adoption', 'renewal'] as const;
const asOf = Date.UTC(2026, 11, 4);

/** Seeded pseudo-random generator (mulberry32), so every run uses the same fact sets. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  facts: AccountFacts;
  stage: string;
}

/** Fact sets spread around the playbook's thresholds, so that every rule fires on some. */
function generateCases(count: number): Case[] {
  const random = seededRandom(7);
  const integer = (max: number) => Math.floor(random() * (max + 1));
  const maybe = <T>(share: number, value: T, otherwise: T) =>
    random() < share ? value : otherwise;
  return Array.from({ length: count }, (_, index) => ({
    stage: stages[index % stages.length] as string,
    facts: {
      ...defaultFixtureFacts,
      accountId: `account-${index}`,
      accountAgeDays: integer(120),
      usersBelowCadence: maybe(0.2, integer(3), 0),
      keyFeaturesNeverUsed: maybe(0.3, ['reports', 'api'], []),
      newFeaturesNotTried: maybe(0.2, ['ai-summary'], []),
      overdueMilestones: maybe(0.15, 1, 0),
      goalsMet: maybe(0.4, 0, 1),
      ticketsFirst30Days: integer(7),
      usageTrend: maybe(0.1, null, random() * 1.5),
      daysToRenewal: integer(365) - 20,
      percentiles: maybe<Record<string, number>>(0.2, {}, { activeDaysLast30: integer(100) }),
      healthScore: maybe(0.2, null, integer(100)),
      isEarlyAdopter: random() < 0.15,
    },
  }));
}

function loadPlaybook(): RuleSet {
  // The templates are checked by `uptake rules validate`; the benchmark times evaluation only.
  const load = loadRuleSet(join(__dirname, '..', 'rules'), { templateExists: () => true });
  if (!load.ok) throw new Error(`default playbook invalid: ${JSON.stringify(load.errors)}`);
  return load.ruleSet;
}

/** Evaluates every case with the compiled evaluator; returns elapsed ms and fired ids per case. */
function timeCompiled(ruleSet: RuleSet, cases: readonly Case[]): { ms: number; fired: string[][] } {
  const fired: string[][] = new Array(cases.length);
  const start = performance.now();
  for (let index = 0; index < cases.length; index++) {
    const { facts, stage } = cases[index] as Case;
    fired[index] = evaluateRules(facts, stage, ruleSet, { asOf }).fired.map((rule) => rule.id);
  }
  return { ms: performance.now() - start, fired };
}

/** Evaluates cases with json-rules-engine, a new Engine per evaluation, on the stage's rules. */
async function timeReference(
  ruleSet: RuleSet,
  cases: readonly Case[],
): Promise<{ ms: number; fired: string[][] }> {
  const rulesByStage = new Map(
    stages.map((stage) => {
      const active = ruleSet.stagePlans.get(stage)?.active ?? [];
      return [
        stage as string,
        active.map((rule) => ({
          id: rule.definition.id,
          priority: rule.definition.priority,
          conditions: rule.definition.conditions,
        })),
      ];
    }),
  );
  const fired: string[][] = [];
  const start = performance.now();
  for (const { facts, stage } of cases) {
    const outcome = await runReferenceEngine(
      rulesByStage.get(stage) ?? [],
      ruleSet.sharedConditions,
      facts,
      { asOf },
    );
    fired.push(outcome.fired);
  }
  return { ms: performance.now() - start, fired };
}

function countMismatches(compiled: string[][], reference: string[][]): number {
  let mismatches = 0;
  reference.forEach((ids, index) => {
    const mine = [...(compiled[index] ?? [])].sort().join(',');
    if ([...ids].sort().join(',') !== mine) mismatches++;
  });
  return mismatches;
}

const bench: Bench = {
  title: 'Rule evaluation: default playbook, compiled vs json-rules-engine',
  async run(): Promise<BenchFigure[]> {
    const ruleSet = loadPlaybook();
    const cases = generateCases(factSetCount);
    timeCompiled(ruleSet, cases.slice(0, 10_000));
    const compiled = [1, 2, 3]
      .map(() => timeCompiled(ruleSet, cases))
      .sort((a, b) => a.ms - b.ms)[0] as { ms: number; fired: string[][] };
    await timeReference(ruleSet, cases.slice(0, 200));
    const reference = await timeReference(ruleSet, cases.slice(0, referenceCount));
    const mismatches = countMismatches(compiled.fired, reference.fired);
    if (mismatches > 0)
      throw new Error(`${mismatches} of ${referenceCount} fact sets fired different rules`);

    const compiledMicros = (compiled.ms * 1000) / factSetCount;
    const referenceMicros = (reference.ms * 1000) / referenceCount;
    const firedCount = compiled.fired.reduce((sum, ids) => sum + ids.length, 0);
    return [
      {
        name: 'compiled evaluator, per evaluation',
        value: compiledMicros,
        unit: 'µs',
        baseline: {
          name: 'json-rules-engine, new Engine per evaluation',
          value: referenceMicros,
          unit: 'µs',
        },
        ratio: referenceMicros / compiledMicros,
        goal: '≥ 100x faster',
        note: `µs per evaluation, lower is better; ratio = baseline / value; ${factSetCount} fact sets (${firedCount} rule firings), best of 3 passes; json-rules-engine on the first ${referenceCount}, with identical fired rules on each`,
      },
    ];
  },
};

export default bench;

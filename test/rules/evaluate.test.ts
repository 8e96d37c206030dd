import { evaluateRules } from '../../src/rules/evaluate';
import { defaultFixtureFacts } from '../../src/rules/fixture-facts';
import { loadRuleTexts } from '../../src/rules/load';
import type { RuleSet } from '../../src/rules/types';

const rule = (id: string, extra: Record<string, unknown>) => ({
  file: `${id}.json`,
  text: JSON.stringify({
    id,
    description: `Rule ${id}.`,
    actions: [{ type: 'task', params: { title: id } }],
    conditions: { all: [{ fact: 'usageTrend', operator: 'lessThan', value: 0.6 }] },
    ...extra,
  }),
});

function ruleSet(): RuleSet {
  const load = loadRuleTexts(
    [
      rule('low', { priority: 1 }),
      rule('high', { priority: 5 }),
      rule('renewal-only', { stages: ['renewal'] }),
      rule('off', { enabled: false }),
      rule('stale', {
        conditions: { all: [{ fact: 'daysToValue', operator: 'olderThanDays', value: 3 }] },
      }),
      rule('throws', {
        conditions: { all: [{ fact: 'plan', operator: 'in', value: { fact: 'healthScore' } }] },
      }),
    ],
    { templateExists: () => true },
  );
  if (!load.ok) throw new Error(JSON.stringify(load.errors));
  return load.ruleSet;
}

const falling = { ...defaultFixtureFacts, usageTrend: 0.5, healthScore: null };

describe('evaluateRules', () => {
  const rules = ruleSet();

  it('fires in priority order', () => {
    const evaluation = evaluateRules(falling, 'adoption', rules);
    expect(evaluation.fired.map((fired) => fired.id)).toEqual(['high', 'low']);
  });

  it('skips rules outside the stage', () => {
    const evaluation = evaluateRules(falling, 'adoption', rules);
    expect(evaluation.skipped).toContainEqual({
      id: 'renewal-only',
      reason: 'not active in stage adoption (stages: renewal)',
    });
  });

  it('skips disabled rules', () => {
    const evaluation = evaluateRules(falling, 'renewal', rules);
    expect(evaluation.skipped).toContainEqual({ id: 'off', reason: 'disabled' });
  });

  it('records the rule-set version', () => {
    expect(evaluateRules(falling, 'adoption', rules).ruleSetVersion).toBe(rules.version);
  });

  it('isolates a rule that throws', () => {
    const evaluation = evaluateRules(falling, 'adoption', rules, { asOf: Date.UTC(2026, 11, 4) });
    expect(evaluation.errors.map((error) => error.ruleId)).toEqual(['throws']);
  });

  it('reports a missing asOf for durations', () => {
    const evaluation = evaluateRules({ ...falling, daysToValue: 0 }, 'adoption', rules);
    expect(evaluation.errors.find((error) => error.ruleId === 'stale')?.message).toMatch(
      /pass asOf/,
    );
  });

  it('measures durations from asOf', () => {
    const asOf = Date.UTC(2026, 11, 4);
    const facts = { ...falling, daysToValue: asOf - 4 * 86_400_000 };
    const evaluation = evaluateRules(facts, 'adoption', rules, { asOf });
    expect(evaluation.fired.map((fired) => fired.id)).toContain('stale');
  });

  it('does not fire on steady usage', () => {
    const evaluation = evaluateRules({ ...falling, usageTrend: 0.6 }, 'adoption', rules);
    expect(evaluation.fired.map((fired) => fired.id)).toEqual([]);
  });

  it('omits explanations unless asked', () => {
    expect(evaluateRules(falling, 'adoption', rules).explanations).toBeUndefined();
  });

  it('explains each condition', () => {
    const evaluation = evaluateRules(falling, 'adoption', rules, { explain: true });
    const low = evaluation.explanations?.find((explanation) => explanation.id === 'low');
    expect(low?.status).toBe('fired');
    expect(low?.conditions).toEqual({
      kind: 'all',
      priority: 1,
      result: true,
      conditions: [
        {
          kind: 'fact',
          fact: 'usageTrend',
          operator: 'lessThan',
          value: 0.6,
          expected: 0.6,
          factValue: 0.5,
          result: true,
          priority: 1,
        },
      ],
    });
  });

  it('explains skipped rules with the reason', () => {
    const evaluation = evaluateRules(falling, 'adoption', rules, { explain: true });
    const off = evaluation.explanations?.find((explanation) => explanation.id === 'off');
    expect(off?.status).toBe('skipped');
    expect(off?.reason).toBe('disabled');
  });

  it('explains a referenced tree', () => {
    const load = loadRuleTexts(
      [
        {
          file: '_c.json',
          text: JSON.stringify({
            sharedConditions: {
              falling: { all: [{ fact: 'usageTrend', operator: 'lessThan', value: 0.6 }] },
            },
          }),
        },
        rule('ref', { conditions: { any: [{ condition: 'falling' }] } }),
      ],
      { templateExists: () => true },
    );
    if (!load.ok) throw new Error('load failed');
    const [explanation] =
      evaluateRules(falling, 'adoption', load.ruleSet, { explain: true }).explanations ?? [];
    const reference =
      explanation?.conditions.kind === 'any' ? explanation.conditions.conditions[0] : undefined;
    expect(reference).toMatchObject({
      kind: 'reference',
      reference: 'falling',
      result: true,
      condition: { kind: 'all', result: true },
    });
  });

  it('freezes fired rules', () => {
    const [fired] = evaluateRules(falling, 'adoption', rules).fired;
    expect(Object.isFrozen(fired?.actions)).toBe(true);
  });
});

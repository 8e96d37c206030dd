import type { RuleEngine, RuleOutcome } from '../../../src/lifecycle/rule-engine';
import type { FiredRule } from '../../../src/lifecycle/types';
import type { AccountFacts } from '../../../src/signals/catalog';

interface TestRule {
  rule: FiredRule;
  stages: string[];
  when: (facts: AccountFacts) => boolean;
}

// NOTE: predicates in code stand in for rule files until the rules module's
// loader lands; the decision core and the workflow see the same shape either way.
const yearRules: TestRule[] = [
  {
    stages: ['onboarding'],
    when: () => true,
    rule: {
      id: 'welcome',
      priority: 5,
      limitPerTerm: 1,
      actions: [{ type: 'email', template: 'welcome', params: {}, audience: { users: {} } }],
    },
  },
  {
    stages: ['onboarding'],
    when: (facts) => facts.overdueMilestones > 0,
    rule: {
      id: 'milestone-overdue',
      priority: 3,
      cooldownDays: 7,
      actions: [
        { type: 'task', template: 'onboarding-overdue', params: {}, audience: { csm: true } },
      ],
    },
  },
  {
    stages: ['renewal'],
    when: (facts) => facts.daysToRenewal !== null && facts.daysToRenewal <= 60,
    rule: {
      id: 'renewal-prep',
      priority: 4,
      limitPerTerm: 1,
      actions: [{ type: 'task', template: 'renewal-risk', params: {}, audience: { csm: true } }],
    },
  },
];

/** A fixed rule engine over the year rules above, with version `year-v1`. */
export function createYearRuleEngine(): RuleEngine {
  return {
    current: () => ({ ok: true, version: 'year-v1', ruleSet: yearRules }),
    evaluate: (facts, stage): RuleOutcome => {
      const active = yearRules.filter((entry) => entry.stages.includes(stage));
      return {
        fired: active.filter((entry) => entry.when(facts)).map((entry) => entry.rule),
        notFired: active
          .filter((entry) => !entry.when(facts))
          .map((entry) => ({ ruleId: entry.rule.id, failing: [] })),
      };
    },
  };
}

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadRuleSet } from '../../src/rules/load';

// Each folder of the corpus is a rule folder with exactly one mistake.
const corpus = join(__dirname, 'corpus');
const templateExists = (_type: string, name: string) => name !== 'no-such-template';

const expectations: Record<string, { file: string; jsonPath: string; message: RegExp }> = {
  'invalid-json': {
    file: 'rule.json',
    jsonPath: '$',
    message: /invalid JSON: expected ',' or '}'/,
  },
  'wrong-types': {
    file: 'rule.json',
    jsonPath: '$.priority',
    message: /expected number, received string/,
  },
  'unknown-fact': {
    file: 'rule.json',
    jsonPath: '$.conditions.all[0].fact',
    message: /unknown fact 'activeDaysLast31'.*did you mean 'activeDaysLast30'/,
  },
  'misspelled-operator': {
    file: 'rule.json',
    jsonPath: '$.conditions.all[0].operator',
    message: /unknown operator 'lessThen'; did you mean 'lessThan'/,
  },
  'all-and-any': {
    file: 'rule.json',
    jsonPath: '$.conditions',
    message: /all and any side by side/,
  },
  'not-array': {
    file: 'rule.json',
    jsonPath: '$.conditions.not',
    message: /'not' takes a single condition object, not an array/,
  },
  'undefined-reference': {
    file: 'rule.json',
    jsonPath: '$.conditions.all[0]',
    message: /condition 'renewal-window' is not defined/,
  },
  'reference-cycle': {
    file: '_conditions.json',
    jsonPath: '$.sharedConditions.first',
    message: /cycle: first -> second -> first/,
  },
  'prototype-path': {
    file: 'rule.json',
    jsonPath: '$.conditions.all[0].path',
    message: /reaches '__proto__'/,
  },
  'prototype-key': {
    file: 'rule.json',
    jsonPath: '$.actions[0].params.__proto__',
    message: /'__proto__' is not allowed/,
  },
  'duplicate-ids': {
    file: 'second.json',
    jsonPath: '$.id',
    message: /duplicate rule id 'corpus-rule'.*first\.json/,
  },
  'empty-file': { file: 'rule.json', jsonPath: '$', message: /file is empty/ },
  'deep-nesting': {
    file: 'rule.json',
    jsonPath: '$.conditions.not.not',
    message: /^conditions nest deeper than 32 all\/any\/not levels$/,
  },
  'unknown-template': {
    file: 'rule.json',
    jsonPath: '$.actions[0]',
    message: /unknown email template 'no-such-template'/,
  },
  'unknown-stage': {
    file: 'rule.json',
    jsonPath: '$.stages[1]',
    message: /expected one of "onboarding"/,
  },
  'unknown-action-type': {
    file: 'rule.json',
    jsonPath: '$.actions[0].type',
    message: /expected one of "email"/,
  },
  'plain-unknown-event': {
    file: 'rule.json',
    jsonPath: '$.event.type',
    message: /expected one of "email"/,
  },
};

describe('bad-input corpus', () => {
  it('has an expectation for every folder', () => {
    expect(readdirSync(corpus).sort()).toEqual(Object.keys(expectations).sort());
  });

  for (const [name, expected] of Object.entries(expectations)) {
    it(`rejects ${name} with one error`, () => {
      const load = loadRuleSet(join(corpus, name), { templateExists });
      if (load.ok) throw new Error(`${name} loaded`);
      expect(load.errors).toHaveLength(1);
      const [error] = load.errors;
      expect(error?.file).toBe(join(corpus, name, expected.file));
      expect(error?.jsonPath.startsWith(expected.jsonPath)).toBe(true);
      expect(error?.message).toMatch(expected.message);
    });
  }

  it('gives line and column for invalid JSON', () => {
    const load = loadRuleSet(join(corpus, 'invalid-json'), { templateExists });
    const error = load.ok ? undefined : load.errors[0];
    expect(error?.line).toBe(4);
    expect(error?.column).toBe(3);
  });
});

import { loadRuleTexts, type RuleSetLoad } from '../../src/rules/load';

const templateExists = (_type: string, name: string) => name === 'known';
const condition = { all: [{ fact: 'usageTrend', operator: 'lessThan', value: 0.6 }] };
const envelope = {
  id: 'falling',
  description: 'Usage is falling.',
  actions: [{ type: 'email', template: 'known' }],
  conditions: condition,
};

function load(files: Record<string, unknown>): RuleSetLoad {
  const texts = Object.entries(files).map(([file, content]) => ({
    file,
    text: typeof content === 'string' ? content : JSON.stringify(content),
  }));
  return loadRuleTexts(texts, { templateExists });
}

function messages(result: RuleSetLoad): string[] {
  return result.ok
    ? []
    : result.errors.map((error) => `${error.file} ${error.jsonPath}: ${error.message}`);
}

describe('loadRuleTexts', () => {
  it('accepts an Uptake rule with defaults', () => {
    const result = load({ 'falling.json': envelope });
    const rule = result.ok ? result.ruleSet.rules[0]?.definition : undefined;
    expect(rule?.stages).toEqual(['onboarding', 'adoption', 'renewal', 'renewed', 'churned']);
    expect(rule?.priority).toBe(1);
    expect(rule?.enabled).toBe(true);
    expect(rule?.cooldownDays).toBe(0);
    expect(rule?.actions[0]?.audience).toEqual({ users: {} });
  });

  it('accepts a plain json-rules-engine rule', () => {
    const plain = {
      conditions: condition,
      event: { type: 'task', params: { title: 'Call them' } },
      priority: 3,
    };
    const result = load({ 'call-them.json': plain });
    const rule = result.ok ? result.ruleSet.rules[0]?.definition : undefined;
    expect(rule?.id).toBe('call-them');
    expect(rule?.priority).toBe(3);
    expect(rule?.actions[0]).toEqual({
      type: 'task',
      params: { title: 'Call them' },
      audience: { csm: true },
    });
  });

  it('takes a plain rule id from its name', () => {
    const plain = {
      name: 'named',
      conditions: condition,
      event: { type: 'email', params: { template: 'known' } },
    };
    const result = load({ 'file.json': plain });
    const rule = result.ok ? result.ruleSet.rules[0]?.definition : undefined;
    expect(rule?.id).toBe('named');
    expect(rule?.actions[0]?.template).toBe('known');
  });

  it('rejects an unknown task priority', () => {
    const plain = {
      conditions: condition,
      event: { type: 'task', params: { template: 'known', priority: 'whenever' } },
    };
    expect(messages(load({ 'task.json': plain }))).toEqual([
      'task.json $.event: params.priority: task priority "whenever" is invalid: expected one of low, medium, high, urgent',
    ]);
  });

  it('rejects a task due before it exists', () => {
    const plain = {
      conditions: condition,
      event: { type: 'task', params: { template: 'known', dueInDays: -3 } },
    };
    expect(messages(load({ 'task.json': plain }))).toEqual([
      'task.json $.event: params.dueInDays: task dueInDays -3 is invalid: expected a number of days >= 0',
    ]);
  });

  it('reports every problem of a task action', () => {
    const plain = {
      conditions: condition,
      event: { type: 'task', params: { template: 'known', priority: 'soon', dueInDays: -1 } },
    };
    expect(messages(load({ 'task.json': plain }))).toHaveLength(2);
  });

  it('requires a template or title for tasks', () => {
    const plain = { conditions: condition, event: { type: 'task' } };
    expect(messages(load({ 'task.json': plain }))).toEqual([
      'task.json $.event: task actions need a template or params.title',
    ]);
  });

  it('parses cooldowns', () => {
    const result = load({
      'a.json': { ...envelope, id: 'a', cooldown: '2w' },
      'b.json': { ...envelope, id: 'b', cooldown: '36h' },
      'c.json': { ...envelope, id: 'c', cooldown: 3 },
    });
    const days = result.ok ? result.ruleSet.rules.map((rule) => rule.definition.cooldownDays) : [];
    expect(days).toEqual([14, 1.5, 3]);
  });

  it('resolves references across files', () => {
    const shared = { sharedConditions: { falling: condition } };
    const rule = { ...envelope, conditions: { all: [{ condition: 'falling' }] } };
    expect(load({ '_conditions.json': shared, 'rule.json': rule }).ok).toBe(true);
  });

  it('accepts shared conditions inside a rule file', () => {
    const rule = {
      ...envelope,
      conditions: { not: { condition: 'mine' } },
      sharedConditions: { mine: condition },
    };
    expect(load({ 'rule.json': rule }).ok).toBe(true);
  });

  it('rejects a name shared by two files', () => {
    const rule = {
      ...envelope,
      conditions: { not: { condition: 'mine' } },
      sharedConditions: { mine: condition },
    };
    const other = { sharedConditions: { mine: condition } };
    expect(messages(load({ '_shared.json': other, 'rule.json': rule }))).toEqual([
      "rule.json $.sharedConditions.mine: duplicate shared condition 'mine': _shared.json defines it too",
    ]);
  });

  it('rejects a self reference', () => {
    const shared = { sharedConditions: { loop: { any: [{ condition: 'loop' }] } } };
    expect(messages(load({ '_c.json': shared, 'rule.json': envelope }))).toEqual([
      '_c.json $.sharedConditions.loop: shared conditions refer to each other in a cycle: loop -> loop',
    ]);
  });

  it('rejects numeric operators on array facts', () => {
    const rule = {
      ...envelope,
      conditions: { all: [{ fact: 'keyFeaturesNeverUsed', operator: 'greaterThan', value: 0 }] },
    };
    expect(messages(load({ 'rule.json': rule }))).toEqual([
      "rule.json $.conditions.all[0].operator: greaterThan needs a number fact, but 'keyFeaturesNeverUsed' is an array",
    ]);
  });

  it('rejects a string compared with lessThan', () => {
    const rule = {
      ...envelope,
      conditions: { all: [{ fact: 'usageTrend', operator: 'lessThan', value: '0.6' }] },
    };
    expect(messages(load({ 'rule.json': rule }))).toEqual([
      'rule.json $.conditions.all[0].value: lessThan compares with a number, but value is "0.6"',
    ]);
  });

  it('rejects a string equal to a boolean', () => {
    const rule = {
      ...envelope,
      conditions: { all: [{ fact: 'isEarlyAdopter', operator: 'equal', value: 'true' }] },
    };
    expect(messages(load({ 'rule.json': rule }))).toEqual([
      `rule.json $.conditions.all[0].value: 'isEarlyAdopter' is a boolean, but value is "true"`,
    ]);
  });

  it('rejects filter paths', () => {
    const rule = {
      ...envelope,
      conditions: {
        all: [{ fact: 'userCadence', path: '$[?(@.role)]', operator: 'equal', value: 1 }],
      },
    };
    expect(messages(load({ 'rule.json': rule }))[0]).toMatch(
      /path '\$\[\?\(@\.role\)\]' is not supported at character 2/,
    );
  });

  it('rejects constructor in a path', () => {
    const rule = {
      ...envelope,
      conditions: {
        all: [{ fact: 'percentiles', path: '$.constructor', operator: 'equal', value: 1 }],
      },
    };
    expect(messages(load({ 'rule.json': rule }))[0]).toMatch(/reaches 'constructor'/);
  });

  it('rejects conditions deeper than 32 levels', () => {
    let tree: unknown = { fact: 'usageTrend', operator: 'lessThan', value: 1 };
    for (let level = 0; level < 33; level++) tree = { not: tree };
    expect(messages(load({ 'rule.json': { ...envelope, conditions: tree } }))[0]).toMatch(
      /deeper than 32/,
    );
  });

  it('rejects an unknown property with a hint', () => {
    expect(messages(load({ 'rule.json': { ...envelope, priorty: 2 } }))).toEqual([
      "rule.json $.priorty: unknown property 'priorty'; did you mean 'priority'?",
    ]);
  });

  it('keeps the version stable for the same files', () => {
    const first = load({ 'a.json': envelope });
    const second = load({ 'a.json': envelope });
    const versions = [first, second].map((result) =>
      result.ok ? result.ruleSet.version : undefined,
    );
    expect(versions[0]).toBeDefined();
    expect(versions[1]).toBe(versions[0]);
  });

  it('changes the version when a file changes', () => {
    const first = load({ 'a.json': envelope });
    const second = load({ 'a.json': { ...envelope, priority: 2 } });
    const versions = [first, second].map((result) =>
      result.ok ? result.ruleSet.version : undefined,
    );
    expect(versions[1]).toBeDefined();
    expect(versions[1]).not.toBe(versions[0]);
  });
});

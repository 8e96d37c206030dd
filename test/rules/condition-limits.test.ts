import { maxConditionsPerTree } from '../../src/rules/condition-checks';
import { loadRuleTexts, type RuleSetLoad } from '../../src/rules/load';

const leaf = { fact: 'usageTrend', operator: 'lessThan', value: 0.6 };

function loadConditions(conditions: unknown): RuleSetLoad {
  const rule = {
    id: 'falling',
    description: 'Usage is falling.',
    actions: [{ type: 'email', template: 'known' }],
    conditions,
  };
  return loadRuleTexts([{ file: 'rules/falling.json', text: JSON.stringify(rule) }], {
    templateExists: () => true,
  });
}

function firstError(result: RuleSetLoad): { file?: string; jsonPath?: string; message?: string } {
  return result.ok ? {} : (result.errors[0] ?? {});
}

describe('condition count limit', () => {
  it('rejects 200,000 leaves with the path', () => {
    const error = firstError(loadConditions({ any: Array.from({ length: 200_000 }, () => leaf) }));
    expect(error.file).toBe('rules/falling.json');
    expect(error.jsonPath).toBe('$.conditions');
    expect(error.message).toContain(`more than ${maxConditionsPerTree} conditions`);
  });

  it('accepts a tree at the limit', () => {
    const leaves = Array.from({ length: maxConditionsPerTree - 1 }, () => leaf);
    expect(loadConditions({ any: leaves }).ok).toBe(true);
  });
});

describe('empty condition groups', () => {
  it('rejects an empty all', () => {
    const error = firstError(loadConditions({ all: [] }));
    expect(error.jsonPath).toBe('$.conditions.all');
    expect(error.message).toContain('treats an empty all or any as true');
  });

  it('rejects a nested empty any', () => {
    const error = firstError(loadConditions({ all: [leaf, { any: [] }] }));
    expect(error.jsonPath).toBe('$.conditions.all[1].any');
    expect(error.message).toContain("empty 'any'");
  });
});

describe('nesting limit message', () => {
  it('names only the condition limit', () => {
    let tree: unknown = leaf;
    for (let level = 0; level < 40; level += 1) tree = { all: [tree] };
    const error = firstError(loadConditions(tree));
    expect(error.message).toBe('conditions nest deeper than 32 all/any/not levels');
  });

  it('names only the JSON limit', () => {
    let value: unknown = 1;
    for (let level = 0; level < 80; level += 1) value = [value];
    const error = firstError(loadConditions({ all: [{ ...leaf, value }] }));
    expect(error.message).toBe('objects and arrays nest deeper than 72 levels');
  });
});

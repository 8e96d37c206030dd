import { factCatalog, type FactType } from '../signals/catalog';
import type { ConditionNode, FactReference, TreeProblem } from './condition-tree';
import { withSuggestion } from './errors';
import { parseOperatorName } from './operators';

type FactNode = Extract<ConditionNode, { kind: 'fact' }>;

const catalog: Readonly<Record<string, { type: FactType }>> = factCatalog;
const factNames = Object.keys(factCatalog);
const numericOperators = new Set([
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
]);
const arrayFactOperators = new Set(['contains', 'doesNotContain', 'isEmpty', 'isNotEmpty']);

const withArticle = (type: string | undefined): string =>
  type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`;

const isKnownFact = (name: string): boolean => Object.prototype.hasOwnProperty.call(catalog, name);

/** Max conditions (all/any/not groups, references and fact conditions) in one condition tree. */
export const maxConditionsPerTree = 10_000;

/**
 * Checks a parsed condition tree against the fact catalog: known facts,
 * and operators used with values and facts of a type they can compare.
 * Decorated operators and fact-to-fact comparisons only get the fact check.
 * It also rejects empty all/any groups and trees of more than `maxConditionsPerTree` conditions.
 */
export function checkConditionTree(root: ConditionNode): TreeProblem[] {
  const tooMany = checkConditionCount(root);
  if (tooMany) return [tooMany];
  const problems: TreeProblem[] = [];
  const pending: ConditionNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop() as ConditionNode;
    if (node.kind === 'all' || node.kind === 'any') {
      if (node.children.length === 0) problems.push(emptyGroupProblem(node.jsonPath, node.kind));
      // A loop, not push(...children): spreading 200,000 children overflows the stack.
      for (const child of node.children) pending.push(child);
    } else if (node.kind === 'not') pending.push(node.child);
    else if (node.kind === 'fact') {
      const problem = checkFactNode(node);
      if (problem)
        problems.push({ jsonPath: `${node.jsonPath}.${problem.key}`, message: problem.message });
    }
  }
  return problems;
}

function emptyGroupProblem(jsonPath: string, kind: 'all' | 'any'): TreeProblem {
  return {
    jsonPath: `${jsonPath}.${kind}`,
    message: `empty '${kind}': json-rules-engine 7 treats an empty all or any as true, so the rule would fire on every check for every account; add at least one condition or remove the group`,
  };
}

function checkConditionCount(root: ConditionNode): TreeProblem | undefined {
  let count = 0;
  const pending: ConditionNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop() as ConditionNode;
    count += 1;
    if (count > maxConditionsPerTree) {
      return {
        jsonPath: root.jsonPath,
        message: `more than ${maxConditionsPerTree} conditions in one condition tree; split the rule into several rules or move parts into shared conditions`,
      };
    }
    if (node.kind === 'all' || node.kind === 'any') {
      for (const child of node.children) pending.push(child);
    } else if (node.kind === 'not') pending.push(node.child);
  }
  return undefined;
}

/** Shared conditions referenced anywhere in a tree, with where each reference sits. */
export function collectReferences(root: ConditionNode): { name: string; jsonPath: string }[] {
  const found: { name: string; jsonPath: string }[] = [];
  const pending: ConditionNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop() as ConditionNode;
    if (node.kind === 'all' || node.kind === 'any')
      for (const child of node.children) pending.push(child);
    else if (node.kind === 'not') pending.push(node.child);
    else if (node.kind === 'reference')
      found.push({ name: node.reference, jsonPath: node.jsonPath });
  }
  return found;
}

function checkFactReference(reference: FactReference): string | undefined {
  if (!isKnownFact(reference.fact)) {
    return withSuggestion(
      `unknown fact '${reference.fact}' (\`uptake rules schema\` lists the facts)`,
      reference.fact,
      factNames,
    );
  }
  const type = catalog[reference.fact]?.type;
  if (reference.path !== undefined && type !== 'object' && type !== 'array') {
    return `path needs an object or array fact, but '${reference.fact}' is ${withArticle(type)}`;
  }
  return undefined;
}

/** Finds the first problem of a fact condition and the key it sits under. */
function checkFactNode(node: FactNode): { key: string; message: string } | undefined {
  const factProblem = checkFactReference(node);
  if (factProblem) {
    return { key: isKnownFact(node.fact) ? 'path' : 'fact', message: factProblem };
  }
  const valueProblem = node.valueFact && checkFactReference(node.valueFact);
  if (valueProblem) return { key: 'value', message: valueProblem };
  const operator = parseOperatorName(node.operator);
  if (!operator || operator.decorators.length > 0 || node.valueFact) return undefined;
  const factType = node.path === undefined ? catalog[node.fact]?.type : undefined;
  const hasPath = node.path !== undefined;
  const message = checkOperatorUse(operator.base, node.value, node.fact, factType, hasPath);
  if (message === undefined) return undefined;
  return { key: message.includes(' fact, but ') ? 'operator' : 'value', message };
}

function checkOperatorUse(
  operator: string,
  value: unknown,
  fact: string,
  factType: FactType | undefined,
  hasPath: boolean,
): string | undefined {
  if (
    numericOperators.has(operator) ||
    operator === 'olderThanDays' ||
    operator === 'withinLastDays'
  ) {
    if (typeof value !== 'number')
      return `${operator} compares with a number, but value is ${JSON.stringify(value)}`;
  }
  if (numericOperators.has(operator) && factType !== undefined && factType !== 'number') {
    return `${operator} needs a number fact, but '${fact}' is ${withArticle(factType)}`;
  }
  if ((operator === 'in' || operator === 'notIn') && !Array.isArray(value)) {
    return `${operator} needs an array value, for example ["a", "b"]`;
  }
  if (arrayFactOperators.has(operator) && factType !== undefined && factType !== 'array') {
    return `${operator} needs an array fact, but '${fact}' is ${withArticle(factType)}`;
  }
  if ((operator === 'isEmpty' || operator === 'isNotEmpty') && value !== true) {
    return `${operator} takes "value": true (use the other operator to negate)`;
  }
  if (operator === 'percentileBelow') return checkPercentileValue(value, fact, hasPath);
  if (operator === 'equal' || operator === 'notEqual')
    return checkEqualityValue(value, fact, factType);
  return undefined;
}

function checkPercentileValue(value: unknown, fact: string, hasPath: boolean): string | undefined {
  const isPercentile = (candidate: unknown) =>
    typeof candidate === 'number' && candidate >= 0 && candidate <= 100;
  if (hasPath) {
    return isPercentile(value)
      ? undefined
      : 'percentileBelow with a path takes a percentile 0..100 as value';
  }
  if (fact !== 'percentiles') return "percentileBelow applies to the 'percentiles' fact";
  const { signal, percentile } = (value ?? {}) as { signal?: unknown; percentile?: unknown };
  if (typeof signal !== 'string' || !isPercentile(percentile)) {
    return 'percentileBelow takes { "signal": "<fact name>", "percentile": 0..100 } as value';
  }
  return isKnownFact(signal)
    ? undefined
    : withSuggestion(`unknown signal '${signal}'`, signal, factNames);
}

/** Rejects a value of another type than a scalar fact, because the two can never be equal. */
function checkEqualityValue(
  value: unknown,
  fact: string,
  factType: FactType | undefined,
): string | undefined {
  const scalar = factType === 'number' || factType === 'string' || factType === 'boolean';
  if (!scalar || value === null || typeof value === factType) return undefined;
  return `'${fact}' is ${withArticle(factType)}, but value is ${JSON.stringify(value)}`;
}

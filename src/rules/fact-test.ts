import type { ConditionNode } from './condition-tree';
import type { ConditionTest } from './compile';
import { compileFactRead, type Facts } from './fact-read';
import type { OperatorFunction, OperatorName } from './operators';

type FactNode = Extract<ConditionNode, { kind: 'fact' }>;

/** parseFloat-based number check of json-rules-engine 7, with a fast path for numbers. */
function isNumberLike(value: unknown): boolean {
  return !Number.isNaN(Number.parseFloat(value as string));
}

/**
 * Builds a specialised closure for the most common condition, a plain
 * comparison with a constant, or returns undefined for the generic path. A
 * number fact skips parseFloat because parseFloat accepts every number but
 * NaN, and NaN compares false anyway, so the results stay the same.
 */
function compileConstantComparison(
  operator: string,
  read: (facts: Facts) => unknown,
  value: unknown,
): ConditionTest | undefined {
  const limit = value as number;
  switch (operator) {
    case 'equal':
      return (facts) => read(facts) === value;
    case 'notEqual':
      return (facts) => read(facts) !== value;
    case 'greaterThan':
      return (facts) => {
        const fact = read(facts) as number;
        return typeof fact === 'number' ? fact > limit : isNumberLike(fact) && fact > limit;
      };
    case 'greaterThanInclusive':
      return (facts) => {
        const fact = read(facts) as number;
        return typeof fact === 'number' ? fact >= limit : isNumberLike(fact) && fact >= limit;
      };
    case 'lessThan':
      return (facts) => {
        const fact = read(facts) as number;
        return typeof fact === 'number' ? fact < limit : isNumberLike(fact) && fact < limit;
      };
    case 'lessThanInclusive':
      return (facts) => {
        const fact = read(facts) as number;
        return typeof fact === 'number' ? fact <= limit : isNumberLike(fact) && fact <= limit;
      };
    default:
      return undefined;
  }
}

/** Compiles the test of one fact condition. */
export function compileFactTest(
  node: FactNode,
  name: OperatorName,
  operator: OperatorFunction,
  readFact: (facts: Facts) => unknown,
): ConditionTest {
  if (node.valueFact) {
    const readValue = compileFactRead(node.valueFact);
    return (facts, context) => operator(readFact(facts), readValue(facts), context);
  }
  const value = node.value;
  if (name.decorators.length === 0) {
    const special = compileConstantComparison(name.base, readFact, value);
    if (special) return special;
  }
  return (facts, context) => operator(readFact(facts), value, context);
}

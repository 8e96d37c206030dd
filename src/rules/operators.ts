import { customOperators } from './custom-operators';

/** Context of an evaluation that operators may read besides the two values. */
export interface EvaluationContext {
  /** Epoch ms the duration operators measure from; undefined when the caller gave none. */
  asOf: number | undefined;
}

/** An operator: compares a fact value (left) with the condition's value (right). */
export type OperatorFunction = (
  fact: unknown,
  value: unknown,
  context: EvaluationContext,
) => boolean;

/** A decorator wraps an operator, as `someFact:` in `someFact:equal`. */
type DecoratorFunction = (
  fact: unknown,
  value: unknown,
  next: (f: unknown, v: unknown) => boolean,
) => boolean;

interface Decorator {
  decorate: DecoratorFunction;
  /** Type check of the fact value; the decorated operator is false when it fails. */
  accepts?: (fact: unknown) => boolean;
}

/**
 * json-rules-engine 7's numberValidator: true when parseFloat finds a number,
 * so '12abc' and [5] pass and null, true and [] do not.
 */
function isNumberLike(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isNaN(value);
  return !Number.isNaN(Number.parseFloat(value as string));
}

type Indexable = { indexOf(item: unknown): number };

/**
 * The standard operators with json-rules-engine 7's exact semantics,
 * including its errors: `in` and `notIn` throw when the value has no
 * indexOf (null, a number), as the engine does.
 */
export const standardOperators: ReadonlyMap<string, OperatorFunction> = new Map<
  string,
  OperatorFunction
>([
  ['equal', (fact, value) => fact === value],
  ['notEqual', (fact, value) => fact !== value],
  ['in', (fact, value) => (value as Indexable).indexOf(fact) > -1],
  ['notIn', (fact, value) => (value as Indexable).indexOf(fact) === -1],
  ['contains', (fact, value) => Array.isArray(fact) && fact.indexOf(value) > -1],
  ['doesNotContain', (fact, value) => Array.isArray(fact) && fact.indexOf(value) === -1],
  ['lessThan', (fact, value) => isNumberLike(fact) && (fact as number) < (value as number)],
  [
    'lessThanInclusive',
    (fact, value) => isNumberLike(fact) && (fact as number) <= (value as number),
  ],
  ['greaterThan', (fact, value) => isNumberLike(fact) && (fact as number) > (value as number)],
  [
    'greaterThanInclusive',
    (fact, value) => isNumberLike(fact) && (fact as number) >= (value as number),
  ],
]);

type Each = {
  some(test: (item: unknown) => boolean): boolean;
  every(test: (item: unknown) => boolean): boolean;
};

/** json-rules-engine 7's operator decorators, with the same type checks and errors. */
const decorators: ReadonlyMap<string, Decorator> = new Map<string, Decorator>([
  [
    'someFact',
    { decorate: (f, v, next) => (f as Each).some((item) => next(item, v)), accepts: Array.isArray },
  ],
  ['someValue', { decorate: (f, v, next) => (v as Each).some((item) => next(f, item)) }],
  [
    'everyFact',
    {
      decorate: (f, v, next) => (f as Each).every((item) => next(item, v)),
      accepts: Array.isArray,
    },
  ],
  ['everyValue', { decorate: (f, v, next) => (v as Each).every((item) => next(f, item)) }],
  ['swap', { decorate: (f, v, next) => next(v, f) }],
  ['not', { decorate: (f, v, next) => !next(f, v) }],
]);

/** Every operator a rule may name without decorators: standard and Uptake's own. */
export const operatorFunctions: ReadonlyMap<string, OperatorFunction> = new Map([
  ...standardOperators,
  ...customOperators,
]);

/** Names of the operator decorators (`not:`, `someFact:`, ...). */
export const decoratorNames: readonly string[] = [...decorators.keys()];

/** An operator name split into its decorators (outermost first) and base operator. */
export interface OperatorName {
  decorators: string[];
  base: string;
}

/**
 * Splits `not:someFact:equal` the way json-rules-engine's OperatorMap does:
 * the whole name if it is an operator, otherwise a known decorator before
 * the first colon and the rest. Undefined when a part is unknown.
 */
export function parseOperatorName(name: string): OperatorName | undefined {
  const found: string[] = [];
  let rest = name;
  while (!operatorFunctions.has(rest)) {
    const colon = rest.indexOf(':');
    if (colon <= 0 || !decorators.has(rest.slice(0, colon))) return undefined;
    found.push(rest.slice(0, colon));
    rest = rest.slice(colon + 1);
  }
  return { decorators: found, base: rest };
}

/** Builds the function of an operator name, decorators applied, or undefined if unknown. */
export function resolveOperator(name: string): OperatorFunction | undefined {
  const parsed = parseOperatorName(name);
  if (!parsed) return undefined;
  let operator = operatorFunctions.get(parsed.base) as OperatorFunction;
  for (const decoratorName of [...parsed.decorators].reverse()) {
    operator = decorateOperator(decorators.get(decoratorName) as Decorator, operator);
  }
  return operator;
}

function decorateOperator(decorator: Decorator, inner: OperatorFunction): OperatorFunction {
  const { decorate, accepts } = decorator;
  return (fact, value, context) => {
    if (accepts && !accepts(fact)) return false;
    return Boolean(decorate(fact, value, (f, v) => inner(f, v, context)));
  };
}

/**
 * Operators and decorators that can throw on some inputs (a value without
 * indexOf or some, a duration without an instant). Conditions using them are
 * evaluated eagerly, like json-rules-engine evaluates a whole priority group,
 * so that an error surfaces in the same cases.
 */
const throwingParts: ReadonlySet<string> = new Set([
  'in',
  'notIn',
  'someValue',
  'everyValue',
  'swap',
  'olderThanDays',
  'withinLastDays',
]);

/** True when a condition with this operator and value could throw during evaluation. */
export function operatorMayThrow(
  name: OperatorName,
  value: unknown,
  valueIsFact: boolean,
): boolean {
  const parts = [...name.decorators, name.base];
  if (!parts.some((part) => throwingParts.has(part))) return false;
  const plainIn = name.decorators.length === 0 && (name.base === 'in' || name.base === 'notIn');
  return !(plainIn && !valueIsFact && (Array.isArray(value) || typeof value === 'string'));
}

import { formatJsonPath, withSuggestion, type JsonPathSegment } from './errors';
import { parseFactPath } from './fact-path';
import { decoratorNames, operatorFunctions, parseOperatorName } from './operators';

/** Deepest nesting of all/any/not a rule's conditions may have. */
export const maxConditionDepth = 32;

interface NodeBase {
  /** json-rules-engine priority among siblings: higher runs first; 1 when not given. */
  priority: number;
  /** Optional label, json-rules-engine's condition `name`. */
  name?: string;
  /** Location of the node in its file. */
  jsonPath: string;
}

/** `{ "fact": ..., "path": ..., "params": ... }`, as a condition's fact or its value. */
export interface FactReference {
  fact: string;
  path?: string;
  params?: Record<string, unknown>;
}

/** One parsed condition. */
export type ConditionNode =
  | (NodeBase & { kind: 'all' | 'any'; children: ConditionNode[] })
  | (NodeBase & { kind: 'not'; child: ConditionNode })
  | (NodeBase & { kind: 'reference'; reference: string })
  | (NodeBase &
      FactReference & {
        kind: 'fact';
        operator: string;
        /** The value as written; for a fact reference, the reference object. */
        value: unknown;
        valueFact?: FactReference;
      });

/** A problem in a condition tree, with the JSON path relative to the file. */
export interface TreeProblem {
  jsonPath: string;
  message: string;
}

type ParseResult = { node: ConditionNode } | { problem: TreeProblem };

const booleanKeys = ['all', 'any', 'not'] as const;
const commonKeys = ['priority', 'name'];
const allowedKeys = {
  group: new Set(['all', 'any', 'not', ...commonKeys]),
  reference: new Set(['condition', ...commonKeys]),
  fact: new Set(['fact', 'operator', 'value', 'path', 'params', ...commonKeys]),
  valueFact: new Set(['fact', 'path', 'params']),
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const has = (value: object, key: string): boolean =>
  Object.prototype.hasOwnProperty.call(value, key);

/**
 * Parses a condition tree of json-rules-engine 7's format. The root must be
 * all, any, not or a reference, as the engine requires. The caller has
 * already bounded the JSON depth, so this recursion is safe.
 */
export function parseConditionTree(raw: unknown, at: readonly JsonPathSegment[]): ParseResult {
  if (isObject(raw) && !booleanKeys.some((key) => has(raw, key)) && !has(raw, 'condition')) {
    return problem(at, 'the root of conditions must be an object with all, any, not or condition');
  }
  return parseNode(raw, at, 1);
}

function problem(at: readonly JsonPathSegment[], message: string): { problem: TreeProblem } {
  return { problem: { jsonPath: formatJsonPath(at), message } };
}

function parseNode(raw: unknown, at: readonly JsonPathSegment[], depth: number): ParseResult {
  if (!isObject(raw)) {
    return problem(at, 'expected a condition object with all, any, not, condition or fact');
  }
  const present = booleanKeys.filter((key) => has(raw, key));
  if (present.length > 1) {
    return problem(
      at,
      `${present.join(' and ')} side by side: a condition takes exactly one of all, any or not; nest them instead`,
    );
  }
  const common = parseCommon(raw, at);
  if ('problem' in common) return common;
  if (present.length === 1)
    return parseBoolean(raw, present[0] as 'all' | 'any' | 'not', at, depth, common.base);
  if (has(raw, 'condition')) return parseReference(raw, at, common.base);
  if (has(raw, 'fact')) return parseFactCondition(raw, at, common.base);
  return problem(at, 'expected a condition object with all, any, not, condition or fact');
}

function parseCommon(
  raw: Record<string, unknown>,
  at: readonly JsonPathSegment[],
): { base: NodeBase } | { problem: TreeProblem } {
  const priority = raw.priority ?? 1;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1) {
    return problem([...at, 'priority'], 'priority must be an integer of 1 or more');
  }
  if (raw.name !== undefined && typeof raw.name !== 'string') {
    return problem([...at, 'name'], 'name must be a string');
  }
  const base: NodeBase = { priority, jsonPath: formatJsonPath(at) };
  if (typeof raw.name === 'string') base.name = raw.name;
  return { base };
}

function unknownKey(
  raw: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  at: readonly JsonPathSegment[],
): { problem: TreeProblem } | undefined {
  const key = Object.keys(raw).find((candidate) => !allowed.has(candidate));
  if (key === undefined) return undefined;
  return problem([...at, key], withSuggestion(`unknown property '${key}'`, key, allowed));
}

function parseBoolean(
  raw: Record<string, unknown>,
  kind: 'all' | 'any' | 'not',
  at: readonly JsonPathSegment[],
  depth: number,
  base: NodeBase,
): ParseResult {
  const extra = unknownKey(raw, allowedKeys.group, at);
  if (extra) return extra;
  if (depth > maxConditionDepth) {
    return problem(at, `conditions nest deeper than ${maxConditionDepth} all/any/not levels`);
  }
  const inner = raw[kind];
  if (kind === 'not') {
    if (Array.isArray(inner)) {
      return problem(
        [...at, 'not'],
        "'not' takes a single condition object, not an array; wrap several in all or any",
      );
    }
    const child = parseNode(inner, [...at, 'not'], depth + 1);
    return 'problem' in child ? child : { node: { ...base, kind, child: child.node } };
  }
  if (!Array.isArray(inner))
    return problem([...at, kind], `'${kind}' must be an array of conditions`);
  const children: ConditionNode[] = [];
  for (const [index, item] of inner.entries()) {
    const child = parseNode(item, [...at, kind, index], depth + 1);
    if ('problem' in child) return child;
    children.push(child.node);
  }
  return { node: { ...base, kind, children } };
}

function parseReference(
  raw: Record<string, unknown>,
  at: readonly JsonPathSegment[],
  base: NodeBase,
): ParseResult {
  const extra = unknownKey(raw, allowedKeys.reference, at);
  if (extra) return extra;
  if (typeof raw.condition !== 'string' || raw.condition === '') {
    return problem(
      [...at, 'condition'],
      'condition must name a shared condition (a non-empty string)',
    );
  }
  return { node: { ...base, kind: 'reference', reference: raw.condition } };
}

function parseFactCondition(
  raw: Record<string, unknown>,
  at: readonly JsonPathSegment[],
  base: NodeBase,
): ParseResult {
  const extra = unknownKey(raw, allowedKeys.fact, at);
  if (extra) return extra;
  const fact = parseFactReference(raw, at);
  if ('problem' in fact) return fact;
  if (typeof raw.operator !== 'string')
    return problem([...at, 'operator'], 'operator must be a string, for example "greaterThan"');
  if (!parseOperatorName(raw.operator))
    return problem([...at, 'operator'], unknownOperatorMessage(raw.operator));
  if (!has(raw, 'value'))
    return problem(at, 'missing value: every fact condition needs a value to compare with');
  const node: ConditionNode = {
    ...base,
    ...fact.reference,
    kind: 'fact',
    operator: raw.operator,
    value: raw.value,
  };
  if (isObject(raw.value) && has(raw.value, 'fact')) {
    const extraInValue = unknownKey(raw.value, allowedKeys.valueFact, [...at, 'value']);
    if (extraInValue) return extraInValue;
    const valueFact = parseFactReference(raw.value, [...at, 'value']);
    if ('problem' in valueFact) return valueFact;
    node.valueFact = valueFact.reference;
  }
  return { node };
}

function parseFactReference(
  raw: Record<string, unknown>,
  at: readonly JsonPathSegment[],
): { reference: FactReference } | { problem: TreeProblem } {
  if (typeof raw.fact !== 'string' || raw.fact === '')
    return problem([...at, 'fact'], 'fact must be a fact name (a non-empty string)');
  const reference: FactReference = { fact: raw.fact };
  if (raw.path !== undefined) {
    if (typeof raw.path !== 'string')
      return problem([...at, 'path'], "path must be a string such as '$.activeDaysLast30'");
    const parsed = parseFactPath(raw.path);
    if (!parsed.ok) return problem([...at, 'path'], parsed.message);
    reference.path = raw.path;
  }
  if (raw.params !== undefined) {
    if (!isObject(raw.params)) return problem([...at, 'params'], 'params must be an object');
    reference.params = raw.params;
  }
  return { reference };
}

function unknownOperatorMessage(name: string): string {
  const known = [...operatorFunctions.keys()];
  const unknown = withSuggestion(
    `unknown operator '${name}'`,
    name.split(':').pop() ?? name,
    known,
  );
  const decorators = decoratorNames.map((decorator) => `${decorator}:`).join(', ');
  return `${unknown} (operators: ${known.join(', ')}; decorators: ${decorators})`;
}

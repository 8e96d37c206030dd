import { dayMs } from '../store/time';
import type { LookupTables } from './lookups';
import type { Anchor, Expression, Scalar } from './mapping-schema';
import { booleanSpellings, parseBoolean, parseInstantValue, parseNumber } from './values';
import { quoteValue } from './quote';

/** A value computed by an expression; empty source text becomes null. */
export type Value = string | number | boolean | null;

/** The row an expression reads: its own columns, plus `<lookup>.<column>` of a joined row. */
export interface RowContext {
  get(column: string): string | undefined;
}

/** A value that an expression could not compute; the row is rejected with this reason. */
export class ValueError extends Error {}

/** A compiled expression. */
export type Evaluate = (row: RowContext) => Value;

/** Anchors, lookups and shift that compiled expressions use besides the row. */
export interface CompileContext {
  anchors: Record<string, Anchor>;
  lookups: LookupTables;
  /** Days added to every anchor, on top of each anchor's own shiftDays. */
  shiftDays: number;
}

/** Compiles an expression of the mapping into a function of the row. */
export function compileExpression(expression: Expression, context: CompileContext): Evaluate {
  if (typeof expression === 'string') return compileColumn(expression);
  if ('lookup' in expression) return compileLookup(expression, context);
  if ('column' in expression) return compileColumn(expression.column);
  if ('const' in expression) return constant(expression.const);
  if ('template' in expression) return compileTemplate(expression.template);
  if ('join' in expression) return compileJoin(expression, context);
  if ('boolean' in expression) return compileBoolean(expression.boolean, context);
  if ('dayOffset' in expression) return compileDayOffset(expression, context);
  if ('addDays' in expression) return compileAddDays(expression, context);
  if ('map' in expression) return compileMap(expression, context);
  if ('if' in expression) return compileIf(expression, context);
  return compileFirst(expression.first, context);
}

/** Returns the first source column an expression reads, to name it when a row is rejected. */
export function sourceColumn(expression: Expression): string | undefined {
  if (typeof expression === 'string') return expression;
  if ('lookup' in expression) return expression.on[0];
  if ('column' in expression) return expression.column;
  if ('template' in expression) return /\{([^}]+)\}/.exec(expression.template)?.[1];
  if ('join' in expression) return expression.join.map(sourceColumn).find(Boolean);
  if ('boolean' in expression) return sourceColumn(expression.boolean);
  if ('dayOffset' in expression) return sourceColumn(expression.dayOffset);
  if ('addDays' in expression)
    return sourceColumn(expression.to) ?? sourceColumn(expression.addDays);
  if ('map' in expression) return sourceColumn(expression.map);
  if ('if' in expression) return sourceColumn(expression.then) ?? sourceColumn(expression.if);
  if ('first' in expression) return expression.first.map(sourceColumn).find(Boolean);
  return undefined;
}

function constant(value: Scalar): Evaluate {
  return () => value;
}

function compileColumn(column: string): Evaluate {
  return (row) => {
    const text = row.get(column);
    return text === undefined || text === '' ? null : text;
  };
}

/** `{a}-{b}` joins columns; the result is null when any of them is empty. */
function compileTemplate(template: string): Evaluate {
  const parts = template.split(/(\{[^}]+\})/).filter((part) => part !== '');
  return (row) => {
    let text = '';
    for (const part of parts) {
      if (!part.startsWith('{')) {
        text += part;
        continue;
      }
      const value = row.get(part.slice(1, -1));
      if (value === undefined || value === '') return null;
      text += value;
    }
    return text;
  };
}

/** Joins the values of several expressions; null when any of them is null. */
function compileJoin(
  expression: { join: Expression[]; separator?: string },
  context: CompileContext,
): Evaluate {
  const parts = expression.join.map((part) => compileExpression(part, context));
  const separator = expression.separator ?? '';
  return (row) => {
    const values: string[] = [];
    for (const part of parts) {
      const value = part(row);
      if (value === null) return null;
      values.push(String(value));
    }
    return values.join(separator);
  };
}

/** Reads a boolean in any accepted spelling; other text rejects the row. */
function compileBoolean(expression: Expression, context: CompileContext): Evaluate {
  const input = compileExpression(expression, context);
  return (row) => {
    const value = input(row);
    if (value === null) return null;
    const parsed = parseBoolean(value);
    if (parsed === undefined) {
      throw new ValueError(
        `invalid boolean ${quoteValue(value)}; expected one of ${booleanSpellings}`,
      );
    }
    return parsed;
  };
}

/** False for null and false, true for any other value (so a non-empty column is true). */
export function isTruthy(value: Value): boolean {
  return value !== null && value !== false;
}

function compileLookup(
  expression: { lookup: string; on: string[]; column: string },
  context: CompileContext,
): Evaluate {
  const { lookup, on, column } = expression;
  return (row) => {
    const match = context.lookups.find(
      lookup,
      on.map((name) => row.get(name) ?? ''),
    );
    if (!match) {
      const key = on.map((name) => `${name}=${quoteValue(row.get(name) ?? '')}`).join(', ');
      throw new ValueError(`no row of lookup "${lookup}" matches ${key}`);
    }
    const value = match.get(column);
    return value === undefined || value === '' ? null : value;
  };
}

function compileDayOffset(
  expression: { dayOffset: Expression; anchor: string; key?: Expression },
  context: CompileContext,
): Evaluate {
  const days = compileExpression(expression.dayOffset, context);
  const key = expression.key ? compileExpression(expression.key, context) : constant(null);
  const anchorAt = anchorResolver(expression.anchor, context);
  return (row) => {
    const offset = days(row);
    if (offset === null) return null;
    const number = parseNumber(offset);
    if (number === undefined) throw new ValueError(`invalid day offset ${quoteValue(offset)}`);
    return anchorAt(key(row)) + number * dayMs;
  };
}

/** Returns the anchor instant for a key, matching the anchor's patterns once per key. */
function anchorResolver(name: string, context: CompileContext): (key: Value) => number {
  const anchor = context.anchors[name]!;
  const shiftMs = (anchor.shiftDays + context.shiftDays) * dayMs;
  const cache = new Map<string, number>();
  return (key) => {
    const text = key === null ? '' : String(key);
    const cached = cache.get(text);
    if (cached !== undefined) return cached;
    const date = anchorDate(anchor, text);
    const start = date === undefined ? undefined : parseInstantValue(date);
    if (start === undefined) {
      throw new ValueError(`no date of anchor "${name}" matches ${quoteValue(text)}`);
    }
    cache.set(text, start + shiftMs);
    return start + shiftMs;
  };
}

function anchorDate(anchor: Anchor, key: string): string | undefined {
  for (const pattern of anchor.patterns ?? []) {
    const match = new RegExp(pattern.match).exec(key);
    if (match)
      return pattern.date.replace(/\$(\d)/g, (_, group: string) => match[Number(group)] ?? '');
  }
  return anchor.date;
}

function compileAddDays(
  expression: { addDays: Expression; to: Expression },
  context: CompileContext,
): Evaluate {
  const days = compileExpression(expression.addDays, context);
  const base = compileExpression(expression.to, context);
  return (row) => {
    const start = base(row);
    const offset = days(row);
    if (start === null || offset === null) return null;
    const startMs = parseInstantValue(start);
    if (startMs === undefined) throw new ValueError(`invalid date ${quoteValue(start)}`);
    const number = parseNumber(offset);
    if (number === undefined) throw new ValueError(`invalid number of days ${quoteValue(offset)}`);
    return startMs + number * dayMs;
  };
}

function compileMap(
  expression: { map: Expression; values: Record<string, Scalar>; default?: Scalar },
  context: CompileContext,
): Evaluate {
  const input = compileExpression(expression.map, context);
  const values = new Map(Object.entries(expression.values));
  const expected = [...values.keys()].map((key) => JSON.stringify(key)).join(', ');
  return (row) => {
    const value = input(row);
    const mapped = values.get(value === null ? '' : String(value));
    if (mapped !== undefined) return mapped;
    if (expression.default !== undefined) return expression.default;
    if (value === null) return null;
    throw new ValueError(`unexpected value ${quoteValue(value)}; expected one of ${expected}`);
  };
}

function compileIf(
  expression: { if: Expression; then: Expression; else?: Expression },
  context: CompileContext,
): Evaluate {
  const test = compileExpression(expression.if, context);
  const then = compileExpression(expression.then, context);
  const otherwise = expression.else ? compileExpression(expression.else, context) : constant(null);
  return (row) => {
    const value = test(row);
    return isTruthy(value) ? then(row) : otherwise(row);
  };
}

function compileFirst(expressions: Expression[], context: CompileContext): Evaluate {
  const compiled = expressions.map((expression) => compileExpression(expression, context));
  return (row) => {
    for (const evaluate of compiled) {
      const value = evaluate(row);
      if (value !== null) return value;
    }
    return null;
  };
}

/** Lists every column of the source row an expression reads (not those of lookups or joined rows). */
export function referencedColumns(expression: Expression): string[] {
  if (typeof expression === 'string') return [expression];
  if ('lookup' in expression) return expression.on;
  if ('column' in expression) return [expression.column];
  if ('template' in expression) {
    return [...expression.template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  }
  if ('join' in expression) return expression.join.flatMap(referencedColumns);
  if ('boolean' in expression) return referencedColumns(expression.boolean);
  if ('dayOffset' in expression) {
    const key = expression.key ? referencedColumns(expression.key) : [];
    return [...referencedColumns(expression.dayOffset), ...key];
  }
  if ('addDays' in expression) {
    return [...referencedColumns(expression.addDays), ...referencedColumns(expression.to)];
  }
  if ('map' in expression) return referencedColumns(expression.map);
  if ('if' in expression) {
    const otherwise = expression.else ? referencedColumns(expression.else) : [];
    return [
      ...referencedColumns(expression.if),
      ...referencedColumns(expression.then),
      ...otherwise,
    ];
  }
  if ('first' in expression) return expression.first.flatMap(referencedColumns);
  return [];
}

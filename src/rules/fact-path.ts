/**
 * The `path` of a condition: the JSONPath subset that rules may use to reach
 * inside an object or array fact. json-rules-engine 7 resolves `path` with
 * jsonpath-plus (`wrap: false`); the accessor compiled here returns what it
 * returns for this subset, which the differential tests check.
 *
 * Accepted: `$`, then any of `.name`, `['name']`, `["name"]`, `[0]`, `.*`
 * and `[*]`. Filters, scripts, slices, unions and recursive descent are
 * rejected: jsonpath-plus evaluates filter expressions as code, and rules
 * come from files that an operator edits.
 */

/** Segment that matches every child of an array or object. */
export const wildcard = '*';

const segmentPatterns: RegExp[] = [
  /\.([A-Za-z0-9_-]+)/y,
  /\[(\d+)\]/y,
  /\['([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)'\]/y,
  /\["([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)"\]/y,
  /\.(\*)/y,
  /\[(\*)\]/y,
];

/** Keys that would reach an object's prototype chain in JavaScript. */
export const forbiddenPathKeys: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/** A parsed path: the keys to follow in order, `*` for a wildcard. */
export type ParsedPath = { ok: true; segments: string[] } | { ok: false; message: string };

/** Parses a path of the accepted subset, or reports where it leaves the subset. */
export function parseFactPath(path: string): ParsedPath {
  if (!path.startsWith('$')) {
    return {
      ok: false,
      message: `path '${path}' must start with '$', for example '$.activeDaysLast30'`,
    };
  }
  const segments: string[] = [];
  let offset = 1;
  while (offset < path.length) {
    const match = matchSegment(path, offset);
    if (!match) {
      return {
        ok: false,
        message:
          `path '${path}' is not supported at character ${offset + 1}: use .name, ['name'], ` +
          '[index] or [*]; filters, slices and recursive descent are not accepted',
      };
    }
    segments.push(match.key);
    offset += match.length;
  }
  const forbidden = segments.find((segment) => forbiddenPathKeys.has(segment));
  if (forbidden !== undefined) {
    return { ok: false, message: `path '${path}' reaches '${forbidden}', which is not allowed` };
  }
  return { ok: true, segments };
}

function matchSegment(path: string, offset: number): { key: string; length: number } | undefined {
  for (const pattern of segmentPatterns) {
    pattern.lastIndex = offset;
    const match = pattern.exec(path);
    if (match && match[1] !== undefined) return { key: match[1], length: match[0].length };
  }
  return undefined;
}

/** Reads the value a path selects inside a fact value. */
export type PathReader = (value: object) => unknown;

const hasOwn = (value: unknown, key: string): boolean =>
  Boolean(value) && Object.prototype.hasOwnProperty.call(value, key);

/**
 * Compiles parsed segments. Without a wildcard the path selects at most one
 * value, returned as it is. With one, jsonpath-plus returns the matches that
 * came through a wildcard in a new array (undefined when there is none).
 */
export function compilePath(segments: readonly string[]): PathReader {
  if (!segments.includes(wildcard)) {
    return (value) => {
      let current: unknown = value;
      for (const key of segments) {
        if (!hasOwn(current, key)) return undefined;
        current = (current as Record<string, unknown>)[key];
      }
      return current;
    };
  }
  return (value) => {
    const matches: Match[] = [];
    trace(segments, 0, { value, literal: false, fromWildcard: false }, matches);
    if (matches.length === 0) return undefined;
    const first = matches[0] as Match;
    if (matches.length === 1 && !first.fromWildcard) return first.value;
    return matches.map((match) => match.value);
  };
}

interface Match {
  value: unknown;
  fromWildcard: boolean;
}

interface Step extends Match {
  /** True right after a named key, where a child literally named `*` wins over the wildcard. */
  literal: boolean;
}

/** Follows the segments from `index` on, the way jsonpath-plus's trace does for this subset. */
function trace(segments: readonly string[], index: number, step: Step, matches: Match[]): void {
  const { value, literal, fromWildcard } = step;
  if (index === segments.length) {
    matches.push({ value, fromWildcard });
    return;
  }
  const key = segments[index] as string;
  const children = value as Record<string, unknown>;
  if (literal && hasOwn(value, key)) {
    trace(segments, index + 1, { value: children[key], literal: false, fromWildcard }, matches);
  } else if (key === wildcard) {
    for (const child of childKeys(value)) {
      trace(
        segments,
        index + 1,
        { value: children[child], literal: true, fromWildcard: true },
        matches,
      );
    }
  } else if (!literal && hasOwn(value, key)) {
    trace(segments, index + 1, { value: children[key], literal: true, fromWildcard }, matches);
  }
}

function childKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((_, index) => String(index));
  if (value !== null && typeof value === 'object') return Object.keys(value);
  return [];
}

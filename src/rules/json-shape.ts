import { maxConditionDepth } from './condition-tree';
import { formatJsonPath, type JsonPathSegment } from './errors';

/**
 * Deepest nesting of objects and arrays a rule file may have. Conditions nest
 * at most `maxConditionDepth` levels and each level takes two JSON levels
 * (the object and its `all`/`any` array), plus room for the envelope.
 */
export const maxJsonDepth = 72;

/** Problem found by `checkJsonShape`, with the JSON path where it sits. */
export interface ShapeProblem {
  jsonPath: string;
  message: string;
}

interface Frame {
  value: unknown;
  depth: number;
  segment: JsonPathSegment | undefined;
  parent: Frame | undefined;
}

/**
 * Checks a parsed JSON document without recursion: nesting no deeper than
 * `maxJsonDepth`, and no `__proto__` key anywhere. It runs before any
 * recursive processing, so a file with 20,000 levels cannot overflow the stack.
 */
export function checkJsonShape(document: unknown): ShapeProblem | undefined {
  const stack: Frame[] = [{ value: document, depth: 0, segment: undefined, parent: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (frame.value === null || typeof frame.value !== 'object') continue;
    if (frame.depth >= maxJsonDepth) {
      return { jsonPath: shortenPath(pathOf(frame)), message: depthMessage(frame) };
    }
    const entries: [JsonPathSegment, unknown][] = Array.isArray(frame.value)
      ? frame.value.map((item, index) => [index, item])
      : Object.entries(frame.value);
    for (const [segment, value] of entries) {
      if (segment === '__proto__') {
        return {
          jsonPath: pathOf({ value, depth: 0, segment, parent: frame }),
          message: "the key '__proto__' is not allowed",
        };
      }
      stack.push({ value, depth: frame.depth + 1, segment, parent: frame });
    }
  }
  return undefined;
}

/**
 * States the one limit that was broken: the all/any/not limit when the path passes through
 * more condition groups than that, else the JSON nesting limit.
 */
function depthMessage(frame: Frame): string {
  let groups = 0;
  for (let current: Frame | undefined = frame; current; current = current.parent) {
    if (current.segment === 'all' || current.segment === 'any' || current.segment === 'not') {
      groups += 1;
    }
  }
  if (groups > maxConditionDepth) {
    return `conditions nest deeper than ${maxConditionDepth} all/any/not levels`;
  }
  return `objects and arrays nest deeper than ${maxJsonDepth} levels`;
}

function pathOf(frame: Frame): string {
  const segments: JsonPathSegment[] = [];
  for (let current: Frame | undefined = frame; current; current = current.parent) {
    if (current.segment !== undefined) segments.push(current.segment);
  }
  return formatJsonPath(segments.reverse());
}

/** Keeps a very long path readable: its start and its end. */
function shortenPath(path: string): string {
  return path.length <= 120 ? path : `${path.slice(0, 60)}…${path.slice(-40)}`;
}

import type { FactReference } from './condition-tree';
import { compilePath, parseFactPath } from './fact-path';

/** Facts as the evaluator reads them: a plain object from fact name to value. */
export type Facts = Readonly<Record<string, unknown>>;

/** Reads a fact, then its path, exactly as json-rules-engine's almanac does. */
export function compileFactRead(reference: FactReference): (facts: Facts) => unknown {
  const name = reference.fact;
  const inherited = name in Object.prototype;
  const read = inherited
    ? (facts: Facts) =>
        Object.prototype.hasOwnProperty.call(facts, name) ? facts[name] : undefined
    : (facts: Facts) => facts[name];
  if (!reference.path) return read;
  const parsed = parseFactPath(reference.path);
  if (!parsed.ok) throw new Error(parsed.message);
  const select = compilePath(parsed.segments);
  return (facts) => {
    const value = read(facts);
    return value !== null && typeof value === 'object' ? select(value) : value;
  };
}

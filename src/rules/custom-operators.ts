import type { EvaluationContext, OperatorFunction } from './operators';

const dayMs = 86_400_000;

/** ISO-8601 date or date-time, as signals and imports write them. */
const isoInstant =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Reads an instant from epoch ms or an ISO-8601 string; undefined for anything else. */
function toInstant(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !isoInstant.test(value)) return undefined;
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? undefined : instant;
}

function requireAsOf(context: EvaluationContext, operator: string): number {
  if (context.asOf === undefined) {
    throw new Error(`${operator} needs the evaluation instant: pass asOf to evaluateRules`);
  }
  return context.asOf;
}

/** Days between the fact's instant and asOf, or undefined when either is missing. */
function daysAgo(
  fact: unknown,
  days: unknown,
  context: EvaluationContext,
  operator: string,
): number | undefined {
  const asOf = requireAsOf(context, operator);
  const instant = toInstant(fact);
  if (instant === undefined || typeof days !== 'number' || !Number.isFinite(days)) return undefined;
  return (asOf - instant) / dayMs;
}

/**
 * True when a percentile is below a threshold. With a `path` into the
 * `percentiles` fact the value is the threshold; on the whole object it is
 * `{ "signal": "<fact name>", "percentile": <0..100> }`. A missing or
 * non-numeric percentile (no learned benchmark yet) never counts as below.
 */
function percentileBelow(fact: unknown, value: unknown): boolean {
  if (typeof value === 'number')
    return typeof fact === 'number' && Number.isFinite(fact) && fact < value;
  if (value === null || typeof value !== 'object' || fact === null || typeof fact !== 'object')
    return false;
  const { signal, percentile } = value as { signal?: unknown; percentile?: unknown };
  if (typeof signal !== 'string' || typeof percentile !== 'number') return false;
  if (!Object.prototype.hasOwnProperty.call(fact, signal)) return false;
  const actual = (fact as Record<string, unknown>)[signal];
  return typeof actual === 'number' && Number.isFinite(actual) && actual < percentile;
}

/**
 * Uptake's operators for customer-success rules, registered both in the
 * compiled evaluator and on every json-rules-engine Engine used as reference:
 *
 * - `olderThanDays`: the fact is an instant (epoch ms or ISO-8601) more than
 *   `value` days before asOf.
 * - `withinLastDays`: the fact is an instant at most `value` days before asOf
 *   and not after it.
 * - `isEmpty` / `isNotEmpty`: the fact is an array with no / some items;
 *   `value` must be `true`. A fact that is not an array is neither.
 * - `percentileBelow`: see above.
 *
 * The duration operators throw when the caller gave no asOf, so the rule
 * reports an error instead of guessing the time.
 */
export const customOperators: ReadonlyMap<string, OperatorFunction> = new Map<
  string,
  OperatorFunction
>([
  [
    'olderThanDays',
    (fact, days, context) => {
      const age = daysAgo(fact, days, context, 'olderThanDays');
      return age !== undefined && age > (days as number);
    },
  ],
  [
    'withinLastDays',
    (fact, days, context) => {
      const age = daysAgo(fact, days, context, 'withinLastDays');
      return age !== undefined && age >= 0 && age <= (days as number);
    },
  ],
  ['isEmpty', (fact) => Array.isArray(fact) && fact.length === 0],
  ['isNotEmpty', (fact) => Array.isArray(fact) && fact.length > 0],
  ['percentileBelow', percentileBelow],
]);

/** Names of Uptake's own operators. */
export const customOperatorNames: readonly string[] = [...customOperators.keys()];

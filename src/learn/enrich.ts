import type { AccountFacts } from '../signals/catalog';
import { toEpochDay } from '../store/time';
import { isEarlyCategory } from './adopter-categories';
import { categoriesAsOf, type AdoptionIndex } from './adoption-index';
import type { BenchmarkPayload } from './benchmark-set';
import { computePercentiles, scoreHealth } from './health-score';

/**
 * The hook the signals module calls after computing an account's facts. The
 * history argument is not needed here; it is accepted to match the hook.
 */
export type EnrichFacts = (facts: AccountFacts, history: unknown, asOf: number) => AccountFacts;

/**
 * Creates the enrich step that fills the learned facts: `percentiles` and
 * `healthScore` from a benchmark set (left empty and null without one), and
 * `adopterCategories` and `isEarlyAdopter` from an adoption index.
 */
export function createEnrich(options: {
  benchmarks?: BenchmarkPayload;
  adoption?: AdoptionIndex;
}): EnrichFacts {
  const { benchmarks, adoption } = options;
  return (facts, _history, asOf) => {
    const values = facts as unknown as Record<string, number | null>;
    const enriched: AccountFacts = { ...facts };

    if (benchmarks) {
      enriched.percentiles = computePercentiles(benchmarks, facts.accountAgeDays, values);
      const health = scoreHealth(benchmarks, facts.accountAgeDays, values);
      enriched.healthScore = health === null ? null : Math.round(health.score * 10) / 10;
    }
    if (adoption) {
      enriched.adopterCategories = categoriesAsOf(adoption, facts.accountId, toEpochDay(asOf));
      enriched.isEarlyAdopter = Object.values(enriched.adopterCategories).some(isEarlyCategory);
    }
    return enriched;
  };
}

import { loadAdoptionIndex } from '../learn/adoption-from-store';
import type { BenchmarkPayload } from '../learn/benchmark-set';
import { createEnrich } from '../learn/enrich';
import { scoreHealth } from '../learn/health-score';
import { listAccountIds } from '../learn/learn-from-store';
import { computeSignals } from '../signals/compute';
import {
  iterateAccountHistories,
  loadFeatureCatalog,
  type AccountHistory,
} from '../signals/history';
import { findCurrentTerm } from '../signals/term';
import type { Store } from '../store/database';
import { toEpochDay } from '../store/time';
import type { KpiAccount, KpiTerm } from './kpis';

/** The KPI inputs read from the store as of one instant. */
export interface KpiInput {
  asOf: number;
  accounts: KpiAccount[];
  terms: KpiTerm[];
  featureKeys: string[];
}

/**
 * Loads every account's facts as of `asOf` (with the learned facts when a
 * benchmark set is given), its first use of each feature, and every term
 * started by then with the outcome known by then.
 */
export async function loadKpiInput(
  store: Store,
  asOf: number,
  benchmarks?: BenchmarkPayload,
): Promise<KpiInput> {
  const adoption = await loadAdoptionIndex(store, asOf);
  const enrich = createEnrich({ adoption, ...(benchmarks ? { benchmarks } : {}) });
  const featureKeys = (await loadFeatureCatalog(store)).map((feature) => feature.key);
  const accounts: KpiAccount[] = [];
  const terms: KpiTerm[] = [];

  for await (const history of iterateAccountHistories(store, await listAccountIds(store))) {
    const term = findCurrentTerm(history.contracts, asOf);
    if (!term) continue;
    const facts = computeSignals(history, asOf, { enrich });
    const contributions = benchmarks
      ? scoreHealth(
          benchmarks,
          facts.accountAgeDays,
          facts as unknown as Record<string, number | null>,
        )?.contributions
      : undefined;
    const outcomeKnown = term.outcome_at !== null && term.outcome_at <= asOf;
    accounts.push({
      facts,
      termStart: term.start_at,
      firstUseAgeDays: firstUseAges(history, term.start_at, asOf),
      ended: outcomeKnown && term.outcome !== null,
      ...(contributions ? { healthContributions: contributions } : {}),
    });
    for (const contract of history.contracts) {
      if (contract.start_at > asOf) continue;
      const known = contract.outcome_at !== null && contract.outcome_at <= asOf;
      terms.push({ startAt: contract.start_at, outcome: known ? contract.outcome : null });
    }
  }
  return { asOf, accounts, terms, featureKeys };
}

/** Days from term start to the first use of each feature, counting rollups up to `asOf`. */
function firstUseAges(
  history: AccountHistory,
  termStart: number,
  asOf: number,
): Record<string, number> {
  const startDay = toEpochDay(termStart);
  const asOfDay = toEpochDay(asOf);
  const ages: Record<string, number> = {};
  // Rollups are ordered by day, so the first row of a feature is its first use.
  for (const row of history.usageDaily) {
    if (row.day > asOfDay) break;
    if (row.feature_key === '' || row.feature_key in ages) continue;
    ages[row.feature_key] = row.day - startDay;
  }
  return ages;
}

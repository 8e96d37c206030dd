import { assignAdopterCategories, type AdopterCategory } from './adopter-categories';

/** The first day an account used a feature (epoch days). */
export interface FirstUse {
  accountId: string;
  featureKey: string;
  firstUseDay: number;
}

/** A feature with its release day (epoch days), null when unknown. */
export interface FeatureRelease {
  key: string;
  releasedDay: number | null;
}

/** An account's adopter category for one feature, revealed from the day of its first use. */
export interface AdopterEntry {
  featureKey: string;
  category: AdopterCategory;
  firstUseDay: number;
}

/** Adopter categories of every account, keyed by account id. */
export type AdoptionIndex = Map<string, AdopterEntry[]>;

/**
 * Ranks the accounts of each feature by the days from availability to first
 * use and assigns adopter categories. A feature is available from its release
 * day, or from its first use by any account when the release day is unknown.
 * For one account it is available from the later of that day and the
 * account's start day, so accounts that joined later are not counted as slow.
 * Accounts whose availability day falls after `asOfDay` are not in the
 * population.
 */
export function buildAdoptionIndex(
  firstUses: readonly FirstUse[],
  features: readonly FeatureRelease[],
  accountStartDays: ReadonlyMap<string, number>,
  asOfDay: number,
): AdoptionIndex {
  const usesByFeature = new Map<string, FirstUse[]>();
  for (const use of firstUses) {
    if (use.firstUseDay > asOfDay) continue;
    const list = usesByFeature.get(use.featureKey) ?? [];
    list.push(use);
    usesByFeature.set(use.featureKey, list);
  }

  const index: AdoptionIndex = new Map();
  for (const [featureKey, uses] of usesByFeature) {
    const release = features.find((feature) => feature.key === featureKey)?.releasedDay ?? null;
    const availableDay =
      release ?? uses.reduce((min, use) => Math.min(min, use.firstUseDay), Infinity);
    const availability = (accountId: string): number =>
      Math.max(availableDay, accountStartDays.get(accountId) ?? availableDay);

    const population = [...accountStartDays.keys()].filter(
      (id) => availability(id) <= asOfDay,
    ).length;
    const delays = uses.map((use) => ({
      accountId: use.accountId,
      delayDays: use.firstUseDay - availability(use.accountId),
    }));
    const firstUseByAccount = new Map(uses.map((use) => [use.accountId, use.firstUseDay]));
    for (const [accountId, category] of assignAdopterCategories(delays, population)) {
      const firstUseDay = firstUseByAccount.get(accountId)!;
      const entries = index.get(accountId) ?? [];
      entries.push({ featureKey, category, firstUseDay });
      index.set(accountId, entries);
    }
  }
  return index;
}

/** Returns the categories of one account for the features it had used by `asOfDay`. */
export function categoriesAsOf(
  index: AdoptionIndex,
  accountId: string,
  asOfDay: number,
): Record<string, string> {
  const categories: Record<string, string> = {};
  for (const entry of index.get(accountId) ?? []) {
    if (entry.firstUseDay <= asOfDay) categories[entry.featureKey] = entry.category;
  }
  return categories;
}

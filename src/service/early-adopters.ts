import type { EarlyAdopterCheck } from '../api/ports';
import { isEarlyCategory } from '../learn/adopter-categories';
import { loadAdoptionIndex } from '../learn/adoption-from-store';
import { categoriesAsOf, type AdoptionIndex } from '../learn/adoption-index';
import type { Store } from '../store/database';
import { toEpochDay } from '../store/time';

/** How long one adoption index serves feedback requests, in milliseconds. */
const indexLifetimeMs = 60_000;

/**
 * Creates the check that marks feedback as early-adopter feedback: the
 * account is an innovator or early adopter of the feedback's feature, or of
 * any feature when the feedback names none. The adoption index ranks every
 * account by time to first use, so it is built at most once a minute.
 */
export function createEarlyAdopterCheck(
  store: Store,
  now: () => number = Date.now,
): EarlyAdopterCheck {
  let cached: { index: AdoptionIndex; builtAt: number } | undefined;

  return async (accountId, featureKey) => {
    const at = now();
    if (!cached || at - cached.builtAt > indexLifetimeMs) {
      cached = { index: await loadAdoptionIndex(store, at), builtAt: at };
    }
    const categories = categoriesAsOf(cached.index, accountId, toEpochDay(at));
    if (featureKey !== null) return isEarlyCategory(categories[featureKey]);
    return Object.values(categories).some(isEarlyCategory);
  };
}

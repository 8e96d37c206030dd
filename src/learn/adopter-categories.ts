/**
 * Adopter categories in the diffusion-of-innovations sense: accounts ranked
 * by how soon they first used a feature after it became available to them,
 * split 2.5% innovators, 13.5% early adopters, 34% early majority, 34% late
 * majority and 16% laggards.
 */

export const adopterCategories = [
  'innovator',
  'early_adopter',
  'early_majority',
  'late_majority',
  'laggard',
] as const;
export type AdopterCategory = (typeof adopterCategories)[number];

/** Upper cumulative shares of each category, in the order above. */
const cumulativeShares = [0.025, 0.16, 0.5, 0.84, 1];

/** One account's delay, in days, from the feature's availability to its first use. */
export interface AdoptionDelay {
  accountId: string;
  delayDays: number;
}

/**
 * Assigns a category to every adopter. `population` is the number of accounts
 * to which the feature was available (adopters and non-adopters alike), so a
 * feature that few accounts ever use leaves the later categories empty rather
 * than calling its first users laggards. Tied delays share one category, the
 * one at the middle of the positions they occupy, so the result does not
 * depend on the input order.
 */
export function assignAdopterCategories(
  delays: readonly AdoptionDelay[],
  population: number = delays.length,
): Map<string, AdopterCategory> {
  const size = Math.max(population, delays.length);
  const sorted = [...delays].sort((a, b) => a.delayDays - b.delayDays);
  const categories = new Map<string, AdopterCategory>();

  let start = 0;
  while (start < sorted.length) {
    let end = start;
    while (end < sorted.length && sorted[end]!.delayDays === sorted[start]!.delayDays) end += 1;
    const category = categoryAtShare((start + end) / 2 / size);
    for (let i = start; i < end; i += 1) categories.set(sorted[i]!.accountId, category);
    start = end;
  }
  return categories;
}

/** Returns the category whose cumulative band contains `share` (0..1). */
export function categoryAtShare(share: number): AdopterCategory {
  const index = cumulativeShares.findIndex((upper) => share < upper);
  return adopterCategories[index === -1 ? adopterCategories.length - 1 : index]!;
}

/** True for the two categories asked for feedback on new features. */
export function isEarlyCategory(category: string | undefined): boolean {
  return category === 'innovator' || category === 'early_adopter';
}

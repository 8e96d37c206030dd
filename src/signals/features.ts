import type { EpochDay, EpochMs, Feature } from '../store/schema';
import { toEpochDay } from '../store/time';

/** Feature adoption facts of one account as of one instant. */
export interface FeatureFacts {
  featureBreadth: number;
  keyFeaturesNeverUsed: string[];
  newFeaturesNotTried: string[];
}

/** Days, counting the asOf day, in which a release still counts as new. */
const newFeatureWindowDays = 30;

/**
 * Computes breadth and the lists of untouched features.
 *
 * A feature is available once `released_at <= asOf`, and a feature without a
 * release date has always been available. `featureBreadth` is the share of
 * available features used on any day up to the asOf day, 0 when none is
 * available. `keyFeaturesNeverUsed` lists the available key features never
 * used. `newFeaturesNotTried` lists the features released in the 30 UTC days
 * ending on the asOf day and not used on or after their release day. Both
 * lists are sorted by key.
 *
 * @param lastUsedDayByFeature the last day (up to the asOf day) each feature was used
 */
export function computeFeatureFacts(
  features: readonly Feature[],
  lastUsedDayByFeature: ReadonlyMap<string, EpochDay>,
  asOf: EpochMs,
): FeatureFacts {
  const asOfDay = toEpochDay(asOf);
  let available = 0;
  let used = 0;
  const keyFeaturesNeverUsed: string[] = [];
  const newFeaturesNotTried: string[] = [];

  for (const feature of features) {
    if (feature.released_at !== null && feature.released_at > asOf) continue;
    available += 1;
    const lastUsedDay = lastUsedDayByFeature.get(feature.key);
    if (lastUsedDay !== undefined) used += 1;
    if (feature.is_key !== 0 && lastUsedDay === undefined) keyFeaturesNeverUsed.push(feature.key);
    if (feature.released_at === null) continue;

    const releaseDay = toEpochDay(feature.released_at);
    const isNew = asOfDay - releaseDay < newFeatureWindowDays;
    const triedSinceRelease = lastUsedDay !== undefined && lastUsedDay >= releaseDay;
    if (isNew && !triedSinceRelease) newFeaturesNotTried.push(feature.key);
  }

  return {
    featureBreadth: available === 0 ? 0 : used / available,
    keyFeaturesNeverUsed: keyFeaturesNeverUsed.sort(),
    newFeaturesNotTried: newFeaturesNotTried.sort(),
  };
}

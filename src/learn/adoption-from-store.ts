import type { Store } from '../store/database';
import { toEpochDay } from '../store/time';
import { buildAdoptionIndex, type AdoptionIndex, type FirstUse } from './adoption-index';

/** Reads every account's first use of every feature from the daily rollups (logins excluded). */
export async function loadFirstUses(store: Store): Promise<FirstUse[]> {
  const rows = await store.db
    .selectFrom('usage_daily')
    .select(['account_id', 'feature_key'])
    .select((eb) => eb.fn.min('day').as('first_day'))
    .where('feature_key', '!=', '')
    .groupBy(['account_id', 'feature_key'])
    .execute();
  return rows.map((row) => ({
    accountId: row.account_id,
    featureKey: row.feature_key,
    firstUseDay: Number(row.first_day),
  }));
}

/** Reads each account's start day: its first contract start, or its creation without a contract. */
export async function loadAccountStartDays(store: Store): Promise<Map<string, number>> {
  const accounts = await store.db.selectFrom('accounts').select(['id', 'created_at']).execute();
  const contracts = await store.db
    .selectFrom('contracts')
    .select('account_id')
    .select((eb) => eb.fn.min('start_at').as('first_start'))
    .groupBy('account_id')
    .execute();
  const firstStart = new Map(contracts.map((row) => [row.account_id, Number(row.first_start)]));
  return new Map(
    accounts.map((account) => [
      account.id,
      toEpochDay(firstStart.get(account.id) ?? account.created_at),
    ]),
  );
}

/** Builds the adoption index of the whole store as of `asOf` (epoch ms). */
export async function loadAdoptionIndex(store: Store, asOf: number): Promise<AdoptionIndex> {
  const features = await store.db.selectFrom('features').select(['key', 'released_at']).execute();
  const releases = features.map((feature) => ({
    key: feature.key,
    releasedDay: feature.released_at === null ? null : toEpochDay(feature.released_at),
  }));
  return buildAdoptionIndex(
    await loadFirstUses(store),
    releases,
    await loadAccountStartDays(store),
    toEpochDay(asOf),
  );
}

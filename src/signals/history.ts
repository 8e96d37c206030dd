import type { Selectable } from 'kysely';
import type { Store } from '../store/database';
import type {
  Account,
  Contract,
  Feature,
  Goal,
  Milestone,
  Ticket,
  UsageDailyTable,
  User,
} from '../store/schema';

/** One daily rollup row: usage of one user and one feature (or login) on one UTC day. */
export type UsageDay = Selectable<UsageDailyTable>;

/**
 * Every stored row that the signals of one account read. Rows are kept whole,
 * including those dated after any instant the caller may ask about, because
 * `computeSignals` does the as-of filtering itself.
 */
export interface AccountHistory {
  account: Account;
  users: User[];
  /** Contract terms of the account, ordered by start_at then term_number. */
  contracts: Contract[];
  /** The whole feature catalog, which is shared by all accounts. */
  features: Feature[];
  /** Daily rollups of the account, ordered by day. */
  usageDaily: UsageDay[];
  milestones: Milestone[];
  goals: Goal[];
  tickets: Ticket[];
}

/** Maximum ids per `IN (...)` list, well under SQLite's bound-parameter limit. */
const idsPerQuery = 500;

/**
 * Loads the history of one account in one read transaction, or returns
 * undefined when the account does not exist.
 */
export async function loadAccountHistory(
  store: Store,
  accountId: string,
): Promise<AccountHistory | undefined> {
  const histories = await loadAccountHistories(store, [accountId]);
  return histories.get(accountId);
}

/**
 * Loads the histories of many accounts with one query per table for every
 * chunk of 500 ids, so the cost does not grow with one round trip per
 * account. Unknown ids are left out of the returned map.
 */
export async function loadAccountHistories(
  store: Store,
  accountIds: readonly string[],
  features?: Feature[],
): Promise<Map<string, AccountHistory>> {
  const catalog = features ?? (await loadFeatureCatalog(store));
  const histories = new Map<string, AccountHistory>();
  for (let start = 0; start < accountIds.length; start += idsPerQuery) {
    const chunk = [...new Set(accountIds.slice(start, start + idsPerQuery))];
    const loaded = await loadChunk(store, chunk, catalog);
    for (const [id, history] of loaded) histories.set(id, history);
  }
  return histories;
}

/**
 * Yields the histories of the given accounts in chunks of `batchSize`, so a
 * caller can walk thousands of accounts without holding every row in memory.
 */
export async function* iterateAccountHistories(
  store: Store,
  accountIds: readonly string[],
  batchSize = idsPerQuery,
): AsyncGenerator<AccountHistory> {
  const catalog = await loadFeatureCatalog(store);
  for (let start = 0; start < accountIds.length; start += batchSize) {
    const chunk = accountIds.slice(start, start + batchSize);
    const histories = await loadAccountHistories(store, chunk, catalog);
    for (const id of chunk) {
      const history = histories.get(id);
      if (history) yield history;
    }
  }
}

/** Loads the shared feature catalog, ordered by key. */
export async function loadFeatureCatalog(store: Store): Promise<Feature[]> {
  return store.db.selectFrom('features').selectAll().orderBy('key').execute();
}

async function loadChunk(
  store: Store,
  ids: string[],
  features: Feature[],
): Promise<Map<string, AccountHistory>> {
  if (ids.length === 0) return new Map();
  const { db } = store;

  // One transaction so the tables are read at one consistent point in time, even while
  // an import or the API writes to the store.
  return db.transaction().execute(async (trx) => {
    const accounts = await trx.selectFrom('accounts').selectAll().where('id', 'in', ids).execute();
    const histories = new Map<string, AccountHistory>();
    for (const account of accounts) histories.set(account.id, emptyHistory(account, features));
    if (histories.size === 0) return histories;

    const [users, contracts, usage, milestones, goals, tickets] = await Promise.all([
      trx.selectFrom('users').selectAll().where('account_id', 'in', ids).orderBy('id').execute(),
      trx
        .selectFrom('contracts')
        .selectAll()
        .where('account_id', 'in', ids)
        .orderBy('start_at')
        .orderBy('term_number')
        .execute(),
      trx
        .selectFrom('usage_daily')
        .selectAll()
        .where('account_id', 'in', ids)
        .orderBy('account_id')
        .orderBy('day')
        .execute(),
      trx.selectFrom('milestones').selectAll().where('account_id', 'in', ids).execute(),
      trx.selectFrom('goals').selectAll().where('account_id', 'in', ids).execute(),
      trx
        .selectFrom('tickets')
        .selectAll()
        .where('account_id', 'in', ids)
        .orderBy('opened_at')
        .execute(),
    ]);

    for (const row of users) histories.get(row.account_id)?.users.push(row);
    for (const row of contracts) histories.get(row.account_id)?.contracts.push(row);
    for (const row of usage) histories.get(row.account_id)?.usageDaily.push(row);
    for (const row of milestones) histories.get(row.account_id)?.milestones.push(row);
    for (const row of goals) histories.get(row.account_id)?.goals.push(row);
    for (const row of tickets) histories.get(row.account_id)?.tickets.push(row);
    return histories;
  });
}

function emptyHistory(account: Account, features: Feature[]): AccountHistory {
  return {
    account,
    users: [],
    contracts: [],
    features,
    usageDaily: [],
    milestones: [],
    goals: [],
    tickets: [],
  };
}

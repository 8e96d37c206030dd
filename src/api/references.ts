import { sql } from 'kysely';
import type { Store } from '../store/database';
import { ApiError, unknownReferences, type FieldIssue } from './errors';

/** Ids per `IN (...)` list, below SQLite's bound-parameter limit. */
const chunkSize = 500;

type KeyedTable = 'accounts' | 'users' | 'features';
const keyColumn: Record<KeyedTable, string> = { accounts: 'id', users: 'id', features: 'key' };

/** Returns the subset of `ids` stored in `table`. */
export async function findStoredIds(
  store: Store,
  table: KeyedTable,
  ids: Iterable<string>,
): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  const found = new Set<string>();
  for (let start = 0; start < unique.length; start += chunkSize) {
    const chunk = unique.slice(start, start + chunkSize);
    const rows = await sql<{
      id: string;
    }>`select ${sql.ref(keyColumn[table])} as id from ${sql.table(
      table,
    )} where ${sql.ref(keyColumn[table])} in (${sql.join(chunk)})`.execute(store.db);
    for (const row of rows.rows) found.add(row.id);
  }
  return found;
}

/** A reference from one item of a batch to a stored row. */
export interface Reference {
  table: KeyedTable;
  /** Field name inside the item, such as `accountId`. */
  field: string;
  /** Reads the referenced id of an item; null or undefined means no reference. */
  read: (item: never) => string | null | undefined;
}

const tableNouns: Record<KeyedTable, string> = {
  accounts: 'account',
  users: 'user',
  features: 'feature',
};

/**
 * Raises a 422 naming every item whose reference points at an id that is not
 * stored (or not created earlier in the same batch via `alsoKnown`), so a
 * request with a dangling id writes nothing.
 */
export async function assertReferencesExist<T>(
  store: Store,
  batchName: string,
  items: T[],
  references: Reference[],
): Promise<void> {
  const issues: FieldIssue[] = [];
  for (const reference of references) {
    const read = reference.read as (item: T) => string | null | undefined;
    const ids = items.map(read).filter((value): value is string => typeof value === 'string');
    if (ids.length === 0) continue;
    const stored = await findStoredIds(store, reference.table, ids);
    items.forEach((item, index) => {
      const value = read(item);
      if (typeof value === 'string' && !stored.has(value)) {
        issues.push({
          field: `${batchName}[${index}].${reference.field}`,
          message: `${tableNouns[reference.table]} "${value}" not found; create it first`,
        });
      }
    });
  }
  if (issues.length > 0) throw unknownReferences(issues);
}

/** An item that names an account and, optionally, one of that account's users. */
interface UserOfAccount {
  accountId: string;
  userId?: string | null;
}

/** Returns the account id of each stored user in `userIds`, by user id. */
async function accountsOfUsers(store: Store, userIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(userIds)];
  const owners = new Map<string, string>();
  for (let start = 0; start < unique.length; start += chunkSize) {
    const rows = await store.db
      .selectFrom('users')
      .select(['id', 'account_id'])
      .where('id', 'in', unique.slice(start, start + chunkSize))
      .execute();
    for (const row of rows) owners.set(row.id, row.account_id);
  }
  return owners;
}

/**
 * Raises a 422 naming every item whose user belongs to an account other than
 * the item's own, so usage is never counted for the wrong account.
 * Run it after assertReferencesExist, because unknown users are not reported here.
 */
export async function assertUsersOfAccounts(
  store: Store,
  batchName: string,
  items: UserOfAccount[],
): Promise<void> {
  const userIds = items.map((item) => item.userId).filter((id): id is string => Boolean(id));
  if (userIds.length === 0) return;
  const owners = await accountsOfUsers(store, userIds);
  const issues: FieldIssue[] = [];
  items.forEach((item, index) => {
    const owner = item.userId ? owners.get(item.userId) : undefined;
    if (owner === undefined || owner === item.accountId) return;
    issues.push({
      field: `${batchName}[${index}].userId`,
      message:
        `user "${item.userId}" belongs to account "${owner}", not "${item.accountId}"; ` +
        `set accountId to "${owner}" or name a user of account "${item.accountId}"`,
    });
  });
  if (issues.length > 0) throw unknownReferences(issues);
}

/** Raises a 404 naming the account unless `accountId` is stored, for routes under /v1/accounts/:accountId. */
export async function assertAccountStored(store: Store, accountId: string): Promise<void> {
  const stored = await findStoredIds(store, 'accounts', [accountId]);
  if (stored.has(accountId)) return;
  const message = `account "${accountId}" not found; create it with PUT /v1/accounts first`;
  throw new ApiError(404, `accountId: ${message}`, [{ field: 'accountId', message }]);
}

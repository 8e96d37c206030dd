import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../../src/store/database';
import {
  upsertAccounts,
  upsertContracts,
  upsertMilestones,
  upsertUsers,
} from '../../../src/store/ingest';

export const dayMs = 86_400_000;

/** Days from term start to renewal; the half day keeps whole-day counts clear of check times. */
export const renewalAfterDays = 365.5;

/** A store in a temporary SQLite file, removed by `cleanup`. */
export interface TempStore {
  store: Store;
  path: string;
  cleanup(): Promise<void>;
}

/** Opens a fresh SQLite store in a temporary folder. */
export async function openTempStore(): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'uptake-lifecycle-'));
  const path = join(dir, 'uptake.sqlite');
  const store = await openStore(path);
  return {
    store,
    path,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Stores one account whose term starts at `start` and renews a year later
 * (`renewalAfterDays`),
 * with two users and two onboarding milestones: the first due in the middle
 * of day 9 and completed on day 15, the second due on day 40 and completed on day 25.
 */
export async function seedYearAccount(
  store: Store,
  accountId: string,
  start: number,
): Promise<void> {
  await upsertAccounts(store, [
    {
      id: accountId,
      name: `Account ${accountId}`,
      csm_owner: 'csm-ada',
      csm_email: 'ada@csm.test',
      created_at: start,
      updated_at: start,
    },
  ]);
  await upsertUsers(store, [user(accountId, 'admin', start), user(accountId, 'member', start)]);
  await upsertContracts(store, [
    {
      id: `${accountId}-t1`,
      account_id: accountId,
      term_number: 1,
      start_at: start,
      renewal_at: start + renewalAfterDays * dayMs,
      updated_at: start,
    },
  ]);
  await upsertMilestones(store, [
    milestone(accountId, 'kickoff', start + 9.5 * dayMs, start + 15 * dayMs),
    milestone(accountId, 'first-report', start + 40 * dayMs, start + 25 * dayMs),
  ]);
}

function user(accountId: string, role: string, start: number) {
  return {
    id: `${accountId}-${role}`,
    account_id: accountId,
    email: `${role}@${accountId}.test`,
    name: `${role} of ${accountId}`,
    role,
    timezone: 'UTC',
    created_at: start,
    updated_at: start,
  };
}

function milestone(accountId: string, key: string, dueAt: number, completedAt: number) {
  return { account_id: accountId, key, name: key, due_at: dueAt, completed_at: completedAt };
}

/** Records the renewal of term 1 and stores term 2, as the API does when a contract renews. */
export async function renewContract(store: Store, accountId: string, start: number): Promise<void> {
  const renewedAt = start + renewalAfterDays * dayMs;
  await store.db
    .updateTable('contracts')
    .set({ status: 'ended', outcome: 'renewed', outcome_at: renewedAt, updated_at: renewedAt })
    .where('id', '=', `${accountId}-t1`)
    .execute();
  await upsertContracts(store, [
    {
      id: `${accountId}-t2`,
      account_id: accountId,
      term_number: 2,
      start_at: renewedAt,
      renewal_at: renewedAt + 365 * dayMs,
      updated_at: renewedAt,
    },
  ]);
}

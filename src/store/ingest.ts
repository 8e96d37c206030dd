import type { Store } from './database';
import type {
  EpochMs,
  FeatureTable,
  FeedbackTable,
  GoalTable,
  MilestoneTable,
  NewAccount,
  NewContract,
  NewUser,
  TermOutcome,
  TicketTable,
} from './schema';
import type { Insertable } from 'kysely';
import { chunkRows, lastByKey, runInTransaction } from './ingest-chunks';

export {
  insertUsageEvents,
  UsageWriter,
  type UsageEventInput,
  type UsageInsertResult,
} from './ingest-usage';
export {
  completeMilestones,
  type FeedbackInput,
  type GoalMet,
  type MilestoneCompletion,
  insertFeedback,
  markGoalsMet,
  upsertGoals,
  upsertMilestones,
  upsertTickets,
} from './ingest-progress';

/*
 * Batch writes shared by the importer, the HTTP API and tests. Each function takes
 * already validated rows, runs as one transaction, and may be called again with the
 * same rows without changing the result.
 */

export type NewFeature = Insertable<FeatureTable>;
/** `T` with the columns `K`, which have store defaults, made optional. */
export type WithDefaults<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** Input rows: the store fills the columns that have defaults. */
export type AccountInput = WithDefaults<NewAccount, 'timezone' | 'stage' | 'attributes'>;
export type UserInput = WithDefaults<NewUser, 'role' | 'subscribed'>;
export type ContractInput = WithDefaults<NewContract, 'status'>;
export type FeatureInput = WithDefaults<NewFeature, 'is_key'>;

/** Insertable rows of the tables written here. */
export type NewMilestone = Insertable<MilestoneTable>;
export type NewGoal = Insertable<GoalTable>;
export type NewTicket = Insertable<TicketTable>;
export type NewFeedback = Insertable<FeedbackTable>;

/** Outcome of one contract term, set when the term ends. */
export interface TermOutcomeUpdate {
  contract_id: string;
  outcome: TermOutcome;
  outcome_at: EpochMs;
}

/**
 * Inserts or updates accounts by id. An existing account keeps its lifecycle stage and
 * its created_at, because the lifecycle, not the source system, owns those.
 */
export async function upsertAccounts(store: Store, rows: readonly AccountInput[]): Promise<number> {
  await runInTransaction(store.db, async (trx) => {
    for (const chunk of chunkRows(
      lastByKey(rows, (row) => row.id),
      11,
    )) {
      await trx
        .insertInto('accounts')
        .values(chunk.map(withAccountDefaults))
        .onConflict((conflict) =>
          conflict.column('id').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            plan: eb.ref('excluded.plan'),
            csm_owner: eb.ref('excluded.csm_owner'),
            csm_email: eb.ref('excluded.csm_email'),
            timezone: eb.ref('excluded.timezone'),
            attributes: eb.ref('excluded.attributes'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  });
  return rows.length;
}

/**
 * Inserts or updates users by id. An existing user keeps its subscription state, so that
 * re-importing a source never resubscribes someone who unsubscribed.
 */
export async function upsertUsers(store: Store, rows: readonly UserInput[]): Promise<number> {
  await runInTransaction(store.db, async (trx) => {
    for (const chunk of chunkRows(
      lastByKey(rows, (row) => row.id),
      9,
    )) {
      await trx
        .insertInto('users')
        .values(chunk.map(withUserDefaults))
        .onConflict((conflict) =>
          conflict.column('id').doUpdateSet((eb) => ({
            account_id: eb.ref('excluded.account_id'),
            email: eb.ref('excluded.email'),
            name: eb.ref('excluded.name'),
            role: eb.ref('excluded.role'),
            timezone: eb.ref('excluded.timezone'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  });
  return rows.length;
}

/** Inserts or replaces contract terms by id. */
export async function upsertContracts(
  store: Store,
  rows: readonly ContractInput[],
): Promise<number> {
  await runInTransaction(store.db, async (trx) => {
    for (const chunk of chunkRows(
      lastByKey(rows, (row) => row.id),
      11,
    )) {
      await trx
        .insertInto('contracts')
        .values(chunk.map(withContractDefaults))
        .onConflict((conflict) =>
          conflict.column('id').doUpdateSet((eb) => ({
            account_id: eb.ref('excluded.account_id'),
            term_number: eb.ref('excluded.term_number'),
            start_at: eb.ref('excluded.start_at'),
            renewal_at: eb.ref('excluded.renewal_at'),
            seats: eb.ref('excluded.seats'),
            value: eb.ref('excluded.value'),
            status: eb.ref('excluded.status'),
            outcome: eb.ref('excluded.outcome'),
            outcome_at: eb.ref('excluded.outcome_at'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  });
  return rows.length;
}

/**
 * Numbers the terms of each given account 1, 2, ... by start time (then id), for sources
 * that list contracts without a term number.
 */
export async function renumberTerms(store: Store, accountIds: readonly string[]): Promise<void> {
  await runInTransaction(store.db, async (trx) => {
    for (const chunk of chunkRows(accountIds, 1)) {
      const contracts = await trx
        .selectFrom('contracts')
        .select(['id', 'account_id'])
        .where('account_id', 'in', chunk)
        .orderBy('account_id')
        .orderBy('start_at')
        .orderBy('id')
        .execute();
      let previous = '';
      let term = 0;
      for (const contract of contracts) {
        term = contract.account_id === previous ? term + 1 : 1;
        previous = contract.account_id;
        await trx
          .updateTable('contracts')
          .set({ term_number: term })
          .where('id', '=', contract.id)
          .execute();
      }
    }
  });
}

/** Records how contract terms ended; returns how many of the given contracts exist. */
export async function setTermOutcomes(
  store: Store,
  rows: readonly TermOutcomeUpdate[],
): Promise<number> {
  return runInTransaction(store.db, async (trx) => {
    let updated = 0;
    for (const row of rows) {
      const result = await trx
        .updateTable('contracts')
        .set({ outcome: row.outcome, outcome_at: row.outcome_at, status: 'ended' })
        .where('id', '=', row.contract_id)
        .executeTakeFirst();
      updated += Number(result.numUpdatedRows);
    }
    return updated;
  });
}

/** Inserts or updates features by key. */
export async function upsertFeatures(store: Store, rows: readonly FeatureInput[]): Promise<number> {
  await runInTransaction(store.db, async (trx) => {
    for (const chunk of chunkRows(
      lastByKey(rows, (row) => row.key),
      5,
    )) {
      await trx
        .insertInto('features')
        .values(chunk.map(withFeatureDefaults))
        .onConflict((conflict) =>
          conflict.column('key').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            released_at: eb.ref('excluded.released_at'),
            is_key: eb.ref('excluded.is_key'),
            help_url: eb.ref('excluded.help_url'),
          })),
        )
        .execute();
    }
  });
  return rows.length;
}

// Multi-row inserts need every column in every row: SQLite has no DEFAULT keyword in VALUES,
// so the column defaults of the schema are repeated here.

function withAccountDefaults(row: AccountInput): NewAccount {
  return {
    ...row,
    plan: row.plan ?? null,
    csm_owner: row.csm_owner ?? null,
    csm_email: row.csm_email ?? null,
    timezone: row.timezone ?? 'UTC',
    stage: row.stage ?? 'onboarding',
    attributes: row.attributes ?? '{}',
  };
}

function withUserDefaults(row: UserInput): NewUser {
  return {
    ...row,
    email: row.email ?? null,
    name: row.name ?? null,
    role: row.role ?? 'user',
    timezone: row.timezone ?? null,
    subscribed: row.subscribed ?? 1,
  };
}

function withContractDefaults(row: ContractInput): NewContract {
  return {
    ...row,
    seats: row.seats ?? null,
    value: row.value ?? null,
    status: row.status ?? 'active',
    outcome: row.outcome ?? null,
    outcome_at: row.outcome_at ?? null,
  };
}

function withFeatureDefaults(row: FeatureInput): NewFeature {
  return {
    ...row,
    released_at: row.released_at ?? null,
    is_key: row.is_key ?? 0,
    help_url: row.help_url ?? null,
  };
}

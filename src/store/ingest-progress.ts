import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { Store } from './database';
import { chunkRows, lastByKey, runInTransaction } from './ingest-chunks';
import { completeMilestonesSqlite, upsertMilestonesSqlite } from './ingest-progress-sqlite';
import type { FeedbackTable, GoalTable, MilestoneTable, TicketTable } from './schema';

/*
 * Batch writes for onboarding progress, value, tickets and feedback. Completion and
 * "goal met" times keep the earliest value ever recorded, so the order in which sources
 * arrive does not matter and a repeat changes nothing.
 */

type NewMilestone = Insertable<MilestoneTable>;
type NewGoal = Insertable<GoalTable>;
type NewTicket = Insertable<TicketTable>;
type NewFeedback = Insertable<FeedbackTable>;

/** A feedback row to insert; early_adopter defaults to 0. */
export type FeedbackInput = Omit<NewFeedback, 'early_adopter'> & { early_adopter?: number };

/** A milestone completion; the earliest completion of a milestone is the one kept. */
export interface MilestoneCompletion {
  account_id: string;
  key: string;
  completed_at: number;
}

/** A goal met; the earliest time a goal was met is the one kept. */
export interface GoalMet {
  account_id: string;
  key: string;
  met_at: number;
}

/** Inserts or updates milestones by (account, key); a stored completion is never undone. */
export async function upsertMilestones(
  store: Store,
  rows: readonly NewMilestone[],
): Promise<number> {
  const unique = keepEarliest(rows, (row) => row.completed_at ?? null);
  await runInTransaction(store.db, async (trx) => {
    // The Kysely transaction runs on SQLite's only connection, so these statements run in it.
    if (store.sqlite) return upsertMilestonesSqlite(store.sqlite, unique);
    for (const chunk of chunkRows(unique, 5)) {
      await trx
        .insertInto('milestones')
        .values(
          chunk.map((row) => ({
            ...row,
            due_at: row.due_at ?? null,
            completed_at: row.completed_at ?? null,
          })),
        )
        .onConflict((conflict) =>
          conflict.columns(['account_id', 'key']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            due_at: eb.ref('excluded.due_at'),
            completed_at: earliest('milestones.completed_at', 'excluded.completed_at'),
          })),
        )
        .execute();
    }
  });
  return rows.length;
}

/**
 * Records milestone completions. A milestone not stored yet is created with its key as
 * its name and no due date.
 */
export async function completeMilestones(
  store: Store,
  rows: readonly MilestoneCompletion[],
): Promise<number> {
  const unique = keepEarliest(rows, (row) => row.completed_at);
  await runInTransaction(store.db, async (trx) => {
    if (store.sqlite) return completeMilestonesSqlite(store.sqlite, unique);
    for (const chunk of chunkRows(unique, 5)) {
      await trx
        .insertInto('milestones')
        .values(chunk.map((row) => ({ ...row, name: row.key, due_at: null })))
        .onConflict((conflict) =>
          conflict.columns(['account_id', 'key']).doUpdateSet(() => ({
            completed_at: earliest('milestones.completed_at', 'excluded.completed_at'),
          })),
        )
        .execute();
    }
  });
  return rows.length;
}

/** Inserts or updates goals by (account, key); a stored "met" time is never undone. */
export async function upsertGoals(store: Store, rows: readonly NewGoal[]): Promise<number> {
  const unique = keepEarliest(rows, (row) => row.met_at ?? null);
  await runInTransaction(store.db, async (trx) => {
    for (const chunk of chunkRows(unique, 5)) {
      await trx
        .insertInto('goals')
        .values(
          chunk.map((row) => ({ ...row, due_at: row.due_at ?? null, met_at: row.met_at ?? null })),
        )
        .onConflict((conflict) =>
          conflict.columns(['account_id', 'key']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            due_at: eb.ref('excluded.due_at'),
            met_at: earliest('goals.met_at', 'excluded.met_at'),
          })),
        )
        .execute();
    }
  });
  return rows.length;
}

/** Records goals met. A goal not stored yet is created with its key as its name. */
export async function markGoalsMet(store: Store, rows: readonly GoalMet[]): Promise<number> {
  const unique = keepEarliest(rows, (row) => row.met_at);
  await runInTransaction(store.db, async (trx) => {
    for (const chunk of chunkRows(unique, 5)) {
      await trx
        .insertInto('goals')
        .values(chunk.map((row) => ({ ...row, name: row.key, due_at: null })))
        .onConflict((conflict) =>
          conflict.columns(['account_id', 'key']).doUpdateSet(() => ({
            met_at: earliest('goals.met_at', 'excluded.met_at'),
          })),
        )
        .execute();
    }
  });
  return rows.length;
}

/** Inserts or replaces support tickets by id. */
export async function upsertTickets(store: Store, rows: readonly NewTicket[]): Promise<number> {
  await runInTransaction(store.db, async (trx) => {
    for (const chunk of chunkRows(
      lastByKey(rows, (row) => row.id),
      8,
    )) {
      await trx
        .insertInto('tickets')
        .values(chunk.map(withTicketDefaults))
        .onConflict((conflict) =>
          conflict.column('id').doUpdateSet((eb) => ({
            account_id: eb.ref('excluded.account_id'),
            user_id: eb.ref('excluded.user_id'),
            opened_at: eb.ref('excluded.opened_at'),
            closed_at: eb.ref('excluded.closed_at'),
            priority: eb.ref('excluded.priority'),
            subject: eb.ref('excluded.subject'),
            satisfaction: eb.ref('excluded.satisfaction'),
          })),
        )
        .execute();
    }
  });
  return rows.length;
}

/** Inserts feedback by id; feedback already stored (by id) is left as it is. */
export async function insertFeedback(
  store: Store,
  rows: readonly FeedbackInput[],
): Promise<{ inserted: number; duplicates: number }> {
  const inserted = await runInTransaction(store.db, async (trx) => {
    let count = 0;
    for (const chunk of chunkRows(rows, 9)) {
      const stored = await trx
        .insertInto('feedback')
        .values(chunk.map(withFeedbackDefaults))
        .onConflict((conflict) => conflict.column('id').doNothing())
        .returning('id')
        .execute();
      count += stored.length;
    }
    return count;
  });
  return { inserted, duplicates: rows.length - inserted };
}

function withTicketDefaults(row: NewTicket): NewTicket {
  return {
    ...row,
    user_id: row.user_id ?? null,
    closed_at: row.closed_at ?? null,
    priority: row.priority ?? null,
    subject: row.subject ?? null,
    satisfaction: row.satisfaction ?? null,
  };
}

function withFeedbackDefaults(row: FeedbackInput): NewFeedback {
  return {
    ...row,
    user_id: row.user_id ?? null,
    feature_key: row.feature_key ?? null,
    early_adopter: row.early_adopter ?? 0,
    routed_at: row.routed_at ?? null,
  };
}

/**
 * Keeps one row per (account, key), the one with the earliest non-null time, because one
 * upsert statement may not touch the same row twice on PostgreSQL.
 */
function keepEarliest<T extends { account_id: string; key: string }>(
  rows: readonly T[],
  timeOf: (row: T) => number | null,
): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const id = `${row.account_id}\u0000${row.key}`;
    const kept = byKey.get(id);
    const time = timeOf(row);
    const keptTime = kept === undefined ? null : timeOf(kept);
    if (kept === undefined || (time !== null && (keptTime === null || time < keptTime))) {
      byKey.set(id, row);
    }
  }
  return [...byKey.values()];
}

/** The earlier of two nullable instants, ignoring nulls (MIN would return null on SQLite). */
function earliest(stored: string, incoming: string): RawBuilder<number | null> {
  const storedRef = sql.ref(stored);
  const incomingRef = sql.ref(incoming);
  return sql<
    number | null
  >`case when ${storedRef} is null then ${incomingRef} when ${incomingRef} is null then ${storedRef} when ${incomingRef} < ${storedRef} then ${incomingRef} else ${storedRef} end`;
}

import type SQLite from 'better-sqlite3';
import type { Insertable } from 'kysely';
import type { MilestoneTable } from './schema';

/*
 * The SQLite fast path of the milestone writes: statements prepared once per connection and run
 * once per row inside the caller's transaction. The Kysely path builds and prepares a new
 * multi-row statement for every 1,000 rows. In CPU profiles of an OULAD import the milestone
 * writes took 15% of the time on the Kysely path and 10% on this one.
 */

/** The earlier of the stored and the incoming completion, ignoring nulls (MIN returns null). */
const earliestCompletion =
  'case when milestones.completed_at is null then excluded.completed_at ' +
  'when excluded.completed_at is null then milestones.completed_at ' +
  'when excluded.completed_at < milestones.completed_at then excluded.completed_at ' +
  'else milestones.completed_at end';

interface Statements {
  upsertMilestone: SQLite.Statement;
  completeMilestone: SQLite.Statement;
}

const statementsByConnection = new WeakMap<SQLite.Database, Statements>();

function statementsFor(sqlite: SQLite.Database): Statements {
  const cached = statementsByConnection.get(sqlite);
  if (cached) return cached;
  const insert =
    'insert into milestones (account_id, key, name, due_at, completed_at) values (?, ?, ?, ?, ?) ' +
    'on conflict (account_id, key) do update set ';
  const statements = {
    upsertMilestone: sqlite.prepare(
      `${insert}name = excluded.name, due_at = excluded.due_at, completed_at = ${earliestCompletion}`,
    ),
    completeMilestone: sqlite.prepare(`${insert}completed_at = ${earliestCompletion}`),
  };
  statementsByConnection.set(sqlite, statements);
  return statements;
}

/** Inserts or updates milestones, keeping the earliest completion. Call inside a transaction. */
export function upsertMilestonesSqlite(
  sqlite: SQLite.Database,
  rows: readonly Insertable<MilestoneTable>[],
): void {
  const { upsertMilestone } = statementsFor(sqlite);
  for (const row of rows) {
    upsertMilestone.run(
      row.account_id,
      row.key,
      row.name,
      row.due_at ?? null,
      row.completed_at ?? null,
    );
  }
}

/**
 * Records completions, creating a missing milestone named by its key with no due date. Call
 * inside a transaction.
 */
export function completeMilestonesSqlite(
  sqlite: SQLite.Database,
  rows: readonly { account_id: string; key: string; completed_at: number }[],
): void {
  const { completeMilestone } = statementsFor(sqlite);
  for (const row of rows) {
    completeMilestone.run(row.account_id, row.key, row.key, null, row.completed_at);
  }
}

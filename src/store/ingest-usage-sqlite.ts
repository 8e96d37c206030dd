import type SQLite from 'better-sqlite3';
import type { RollupRow } from './ingest-usage-rollups';

/*
 * The SQLite fast path of insertUsageEvents: one prepared statement per row inside the
 * caller's transaction, because compiling and preparing a fresh multi-row statement per
 * batch costs more than the inserts themselves. Cached 32-row statements measured no faster
 * (CPU time, 200k events), because B-tree work inside SQLite dominates. PostgreSQL takes the
 * Kysely path.
 */

interface Statements {
  insertEvent: SQLite.Statement;
  addRollup: SQLite.Statement;
}

const statementsByConnection = new WeakMap<SQLite.Database, Statements>();

function statementsFor(sqlite: SQLite.Database): Statements {
  const cached = statementsByConnection.get(sqlite);
  if (cached) return cached;
  const statements = {
    insertEvent: sqlite.prepare(
      'insert into usage_events (event_id, account_id, user_id, feature_key, occurred_at, count) ' +
        'values (?, ?, ?, ?, ?, ?) on conflict (event_id) do nothing',
    ),
    addRollup: sqlite.prepare(
      'insert into usage_daily (account_id, user_id, feature_key, day, count, events) ' +
        'values (?, ?, ?, ?, ?, ?) on conflict (account_id, day, user_id, feature_key) ' +
        'do update set count = usage_daily.count + excluded.count, events = usage_daily.events + excluded.events',
    ),
  };
  statementsByConnection.set(sqlite, statements);
  return statements;
}

/** A usage event as the caller gives it: user, feature and count may be left out. */
export interface EventInput {
  event_id: string;
  account_id: string;
  user_id?: string | null;
  feature_key?: string | null;
  occurred_at: number;
  count?: number;
}

/**
 * Inserts events one by one, calling `onInserted` for each one that was new; an id already
 * stored, or repeated earlier in `events`, is skipped. Returns the number inserted. Call inside
 * a transaction.
 */
export function insertEventsSqlite(
  sqlite: SQLite.Database,
  events: readonly EventInput[],
  onInserted: (event: EventInput) => void,
): number {
  const { insertEvent } = statementsFor(sqlite);
  let inserted = 0;
  for (const event of events) {
    const result = insertEvent.run(
      event.event_id,
      event.account_id,
      event.user_id ?? null,
      event.feature_key ?? null,
      event.occurred_at,
      event.count ?? 1,
    );
    if (result.changes !== 1) continue;
    inserted += 1;
    onInserted(event);
  }
  return inserted;
}

/** Adds rollup rows to usage_daily. Call inside a transaction. */
export function addRollupsSqlite(sqlite: SQLite.Database, rows: readonly RollupRow[]): void {
  const { addRollup } = statementsFor(sqlite);
  for (const row of rows) {
    addRollup.run(row.account_id, row.user_id, row.feature_key, row.day, row.count, row.events);
  }
}

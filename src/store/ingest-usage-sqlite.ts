import type SQLite from 'better-sqlite3';
import { toEpochDay } from './time';

/*
 * The SQLite fast path of insertUsageEvents. JavaScript only appends the events to a TEMP
 * staging table without indexes through cached multi-row statements. Deduplication, the usage_events
 * insert and the usage_daily upsert then run as a few set statements inside SQLite, so the
 * B-tree work on the two clustered tables costs no call from JavaScript per row. The staging
 * table belongs to the connection and takes part in the caller's transaction, so a rollback
 * also drops the events staged in it. PostgreSQL takes the Kysely path.
 */

const createStaging =
  'create temp table if not exists usage_events_staging (event_id text, account_id text, ' +
  'user_id text, feature_key text, occurred_at integer, count integer, day integer)';

// Rows per staging statement, so that JavaScript makes one call per 50 events. Staging the 200k
// events of bench/import.bench.ts took about 20% less CPU time than with single-row statements.
// Statements of 100 or 200 rows were no faster.
const rowsPerStage = 50;
const stagedRow = '(?, ?, ?, ?, ?, ?, ?)';

interface Statements {
  lastRowid: SQLite.Statement;
  stage: SQLite.Statement;
  stageMany: SQLite.Statement;
  dropStored: SQLite.Statement;
  storeNew: SQLite.Statement;
  dropRepeats: SQLite.Statement;
  addRollups: SQLite.Statement;
  clear: SQLite.Statement;
}

const statementsByConnection = new WeakMap<SQLite.Database, Statements>();

function statementsFor(sqlite: SQLite.Database): Statements {
  // Runs on every call, because a rolled-back transaction also rolls back the table's creation.
  sqlite.exec(createStaging);
  const cached = statementsByConnection.get(sqlite);
  if (cached) return cached;
  const statements = {
    lastRowid: sqlite.prepare(
      'select coalesce(max(rowid), 0) as lastRowid from temp.usage_events_staging',
    ),
    stage: sqlite.prepare(`insert into temp.usage_events_staging values ${stagedRow}`),
    stageMany: sqlite.prepare(
      `insert into temp.usage_events_staging values ${Array(rowsPerStage).fill(stagedRow).join(', ')}`,
    ),
    dropStored: sqlite.prepare(
      'delete from temp.usage_events_staging as s where s.rowid > ? and exists ' +
        '(select 1 from main.usage_events as e where e.event_id = s.event_id)',
    ),
    // Key order keeps consecutive B-tree inserts on the same pages. Among repeats of one id
    // the first staged row is stored, because the conflict clause skips the later ones.
    storeNew: sqlite.prepare(
      'insert into main.usage_events (event_id, account_id, user_id, feature_key, occurred_at, count) ' +
        'select event_id, account_id, user_id, feature_key, occurred_at, count ' +
        'from temp.usage_events_staging where rowid > ? order by event_id, rowid ' +
        'on conflict (event_id) do nothing',
    ),
    dropRepeats: sqlite.prepare(
      'delete from temp.usage_events_staging where rowid > ? and rowid not in ' +
        '(select min(rowid) from temp.usage_events_staging where rowid > ? group by event_id)',
    ),
    // One upsert per staged event, in usage_daily key order so that consecutive upserts mostly
    // touch B-tree pages already in the cache. SQLite lets one statement update a row several
    // times, so the sums equal those of a GROUP BY. The GROUP BY took about 20% more CPU time
    // on bench/import.bench.ts, where each key gets about one event per call.
    addRollups: sqlite.prepare(
      'insert into main.usage_daily (account_id, day, user_id, feature_key, count, events) ' +
        "select account_id, day, coalesce(user_id, ''), coalesce(feature_key, ''), count, 1 " +
        'from temp.usage_events_staging where true ' +
        "order by account_id, day, coalesce(user_id, ''), coalesce(feature_key, '') " +
        'on conflict (account_id, day, user_id, feature_key) do update set ' +
        'count = usage_daily.count + excluded.count, events = usage_daily.events + excluded.events',
    ),
    clear: sqlite.prepare('delete from temp.usage_events_staging'),
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
 * Inserts the events whose id is neither stored nor repeated earlier in `events`, and keeps
 * them staged for addStagedRollups. Returns the number inserted. Call inside a transaction.
 */
export function insertEventsSqlite(sqlite: SQLite.Database, events: readonly EventInput[]): number {
  if (events.length === 0) return 0;
  const statements = statementsFor(sqlite);
  const after = stageEvents(statements, events);
  // Usually every event is new, so one insert settles the batch. Otherwise the savepoint undoes
  // that insert, because its count of changes does not tell which staged ids were stored before.
  sqlite.exec('savepoint usage_events_store');
  const optimistic = statements.storeNew.run(after).changes;
  if (optimistic === events.length) {
    sqlite.exec('release usage_events_store');
    return optimistic;
  }
  sqlite.exec('rollback to usage_events_store; release usage_events_store');
  const staged = events.length - statements.dropStored.run(after).changes;
  const inserted = statements.storeNew.run(after).changes;
  // Fewer inserts than staged rows means that some ids repeat within `events`. Only the first
  // of each is stored, so the others must not count in the rollups.
  if (inserted < staged) statements.dropRepeats.run(after, after);
  return inserted;
}

/** Appends the events to the staging table and returns the rowid below the first one. */
function stageEvents(statements: Statements, events: readonly EventInput[]): number {
  const { lastRowid } = statements.lastRowid.get() as { lastRowid: number };
  let index = 0;
  for (; index + rowsPerStage <= events.length; index += rowsPerStage) {
    const values: unknown[] = [];
    for (let row = index; row < index + rowsPerStage; row += 1) {
      values.push(...stagedValues(events[row]!));
    }
    statements.stageMany.run(values);
  }
  for (; index < events.length; index += 1) {
    statements.stage.run(stagedValues(events[index]!));
  }
  return lastRowid;
}

function stagedValues(event: EventInput): unknown[] {
  return [
    event.event_id,
    event.account_id,
    event.user_id ?? null,
    event.feature_key ?? null,
    event.occurred_at,
    event.count ?? 1,
    toEpochDay(event.occurred_at),
  ];
}

/**
 * Adds the events staged since the last call to the usage_daily rollups, summed per account,
 * day, user ('' for none) and feature ('' for login), and empties the staging table. Call inside
 * the transaction that staged them.
 */
export function addStagedRollups(sqlite: SQLite.Database): void {
  const statements = statementsFor(sqlite);
  statements.addRollups.run();
  statements.clear.run();
}

import type { Kysely } from 'kysely';
import { runInTransaction } from './ingest-chunks';
import type { Store } from './database';
import type { Database, NewUsageEvent } from './schema';
import { toEpochDay } from './time';
import {
  addRollupsSqlite,
  insertEventsSqlite,
  type EventRow,
  type RollupRow,
} from './ingest-usage-sqlite';

/** A usage event to insert; count defaults to 1. */
export type UsageEventInput = Omit<NewUsageEvent, 'count'> & { count?: number };

/** Outcome of one insertUsageEvents call. */
export interface UsageInsertResult {
  inserted: number;
  /** Events whose id was already stored or repeated within the batch; they changed nothing. */
  duplicates: number;
}

// Six bound parameters per event, so 2,000 events stay far below SQLite's 32,766-variable limit
// while keeping the number of statements per batch small.
const eventsPerStatement = 2_000;
// Six bound parameters per rollup row as well.
const rollupsPerStatement = 2_000;

/**
 * Inserts usage events, skipping every event id that is already stored, and adds the
 * newly inserted ones to the usage_daily rollups in the same transaction, so a re-sent
 * event changes neither table.
 */
export async function insertUsageEvents(
  store: Store,
  events: readonly UsageEventInput[],
): Promise<UsageInsertResult> {
  if (events.length === 0) return { inserted: 0, duplicates: 0 };
  const inserted = await runInTransaction(store.db, async (trx) => {
    if (store.sqlite) {
      // The Kysely transaction holds SQLite's only connection, so these statements run in it.
      // Row-by-row inserts see repeats within the batch as conflicts, so no dedupe pass is
      // needed, and key order keeps consecutive B-tree inserts on the same pages.
      const rows = events.map(withEventDefaults).sort(compareEventIds);
      const stored = insertEventsSqlite(store.sqlite, rows);
      addRollupsSqlite(store.sqlite, rollUp(stored).sort(compareRollupKeys));
      return stored.length;
    }
    const unique = uniqueById(events).map(withEventDefaults);
    const stored: EventRow[] = [];
    for (let start = 0; start < unique.length; start += eventsPerStatement) {
      const chunk = unique.slice(start, start + eventsPerStatement);
      stored.push(...(await insertEventChunk(trx, chunk)));
    }
    await addToRollups(trx, rollUp(stored));
    return stored.length;
  });

  return { inserted, duplicates: events.length - inserted };
}

function compareEventIds(a: EventRow, b: EventRow): number {
  if (a.event_id < b.event_id) return -1;
  if (a.event_id > b.event_id) return 1;
  return 0;
}

/** Orders rollups by the usage_daily primary key (account, day, user, feature). */
function compareRollupKeys(a: RollupRow, b: RollupRow): number {
  if (a.account_id !== b.account_id) return a.account_id < b.account_id ? -1 : 1;
  if (a.day !== b.day) return a.day - b.day;
  if (a.user_id !== b.user_id) return a.user_id < b.user_id ? -1 : 1;
  if (a.feature_key !== b.feature_key) return a.feature_key < b.feature_key ? -1 : 1;
  return 0;
}

function withEventDefaults(event: UsageEventInput): EventRow {
  return {
    event_id: event.event_id,
    account_id: event.account_id,
    user_id: event.user_id ?? null,
    feature_key: event.feature_key ?? null,
    occurred_at: event.occurred_at,
    count: event.count ?? 1,
  };
}

/** Keeps the first event of each id, because one statement may not touch a row twice. */
function uniqueById(events: readonly UsageEventInput[]): UsageEventInput[] {
  const seen = new Set<string>();
  const unique: UsageEventInput[] = [];
  for (const event of events) {
    if (seen.has(event.event_id)) continue;
    seen.add(event.event_id);
    unique.push(event);
  }
  return unique;
}

/** Inserts one chunk and returns only the events that were new (RETURNING skips conflicts). */
async function insertEventChunk(trx: Kysely<Database>, chunk: EventRow[]): Promise<EventRow[]> {
  return trx
    .insertInto('usage_events')
    .values(chunk)
    .onConflict((conflict) => conflict.column('event_id').doNothing())
    .returning(['event_id', 'account_id', 'user_id', 'feature_key', 'occurred_at', 'count'])
    .execute();
}

/** Sums events per account, user, feature and UTC day; '' stands for no user and for login. */
function rollUp(events: readonly EventRow[]): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  for (const event of events) {
    const day = toEpochDay(event.occurred_at);
    const userId = event.user_id ?? '';
    const featureKey = event.feature_key ?? '';
    const key = `${event.account_id}\u0000${userId}\u0000${featureKey}\u0000${day}`;
    const row = rows.get(key);
    if (row) {
      row.count += event.count;
      row.events += 1;
      continue;
    }
    rows.set(key, {
      account_id: event.account_id,
      user_id: userId,
      feature_key: featureKey,
      day,
      count: event.count,
      events: 1,
    });
  }
  return [...rows.values()];
}

async function addToRollups(trx: Kysely<Database>, rows: RollupRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += rollupsPerStatement) {
    await trx
      .insertInto('usage_daily')
      .values(rows.slice(start, start + rollupsPerStatement))
      .onConflict((conflict) =>
        conflict.columns(['account_id', 'day', 'user_id', 'feature_key']).doUpdateSet((eb) => ({
          count: eb('usage_daily.count', '+', eb.ref('excluded.count')),
          events: eb('usage_daily.events', '+', eb.ref('excluded.events')),
        })),
      )
      .execute();
  }
}

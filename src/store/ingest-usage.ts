import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { runInTransaction } from './ingest-chunks';
import type { Store } from './database';
import { RollupTotals, type RollupRow } from './ingest-usage-rollups';
import { addStagedRollups, insertEventsSqlite } from './ingest-usage-sqlite';
import type { Database, NewUsageEvent } from './schema';

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
// Pending rollup entries a UsageWriter keeps before writing them: keys summed in memory on the
// Kysely path, staged events in SQLite's temp storage on SQLite. The limit bounds that storage
// however long the transaction runs. In memory it is about 40 MB at the 400 bytes per key
// measured on Node 20 with ids of about 10 characters.
const defaultMaxPendingRollups = 100_000;

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
  return runInTransaction(store.db, async (trx) => {
    const writer = new UsageWriter({ ...store, db: trx });
    const result = await writer.insert(events);
    await writer.flush();
    return result;
  });
}

/**
 * Writes usage events in batches inside one transaction that the caller opened, and defers their
 * usage_daily rollups across batches. The Kysely path sums them in memory, so the events of one
 * account, user, feature and day cost one upsert. On SQLite the new events wait in a staging
 * table and are upserted in key order by one statement. The caller must call flush() before
 * committing, because rollups are written only there and once `maxPendingRollups` entries wait.
 */
export class UsageWriter {
  private readonly totals = new RollupTotals();
  // Events inserted on SQLite whose rollups wait in the staging table.
  private stagedEvents = 0;

  /** `store.db` must be a transaction, which on SQLite runs on the connection `store.sqlite`. */
  constructor(
    private readonly store: Store,
    private readonly maxPendingRollups = defaultMaxPendingRollups,
  ) {}

  /** Inserts the events that are new and adds them to the pending rollups. */
  async insert(events: readonly UsageEventInput[]): Promise<UsageInsertResult> {
    const inserted = this.store.sqlite
      ? this.insertSqlite(this.store.sqlite, events)
      : await this.insertKysely(events);
    if (this.totals.size + this.stagedEvents >= this.maxPendingRollups) await this.flush();
    return { inserted, duplicates: events.length - inserted };
  }

  /** Adds the pending rollups to usage_daily. */
  async flush(): Promise<void> {
    if (this.store.sqlite && this.stagedEvents > 0) {
      addStagedRollups(this.store.sqlite);
      this.stagedEvents = 0;
    }
    if (this.totals.size === 0) return;
    await addRollupsKysely(this.store.db, this.totals.take());
  }

  private insertSqlite(sqlite: SQLite.Database, events: readonly UsageEventInput[]): number {
    const inserted = insertEventsSqlite(sqlite, events);
    this.stagedEvents += inserted;
    return inserted;
  }

  private async insertKysely(events: readonly UsageEventInput[]): Promise<number> {
    const unique = uniqueById(events).map(withEventDefaults);
    let inserted = 0;
    for (let start = 0; start < unique.length; start += eventsPerStatement) {
      const chunk = unique.slice(start, start + eventsPerStatement);
      const stored = await insertEventChunk(this.store.db, chunk);
      for (const event of stored) this.totals.add(event);
      inserted += stored.length;
    }
    return inserted;
  }
}

function withEventDefaults(event: UsageEventInput): NewUsageEvent {
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
async function insertEventChunk(
  trx: Kysely<Database>,
  chunk: NewUsageEvent[],
): Promise<NewUsageEvent[]> {
  return trx
    .insertInto('usage_events')
    .values(chunk)
    .onConflict((conflict) => conflict.column('event_id').doNothing())
    .returning(['event_id', 'account_id', 'user_id', 'feature_key', 'occurred_at', 'count'])
    .execute();
}

async function addRollupsKysely(trx: Kysely<Database>, rows: RollupRow[]): Promise<void> {
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

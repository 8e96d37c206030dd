import { toEpochDay } from './time';

/** A usage_daily increment keyed by account, user ('' for none), feature ('' for login) and day. */
export interface RollupRow {
  account_id: string;
  user_id: string;
  feature_key: string;
  day: number;
  count: number;
  events: number;
}

/** The columns of a stored usage event that its rollup reads. */
export interface RolledUpEvent {
  account_id: string;
  user_id?: string | null;
  feature_key?: string | null;
  occurred_at: number;
  count?: number;
}

/**
 * Sums newly stored events per account, user, feature and UTC day, so that all the events of
 * one key cost a single usage_daily upsert however many batches they arrive in.
 */
export class RollupTotals {
  private readonly rows = new Map<string, RollupRow>();

  /** Number of distinct keys summed so far. */
  get size(): number {
    return this.rows.size;
  }

  /** Adds one event to its key's totals. */
  add(event: RolledUpEvent): void {
    const day = toEpochDay(event.occurred_at);
    const userId = event.user_id ?? '';
    const featureKey = event.feature_key ?? '';
    const count = event.count ?? 1;
    // The key lists the columns in the order of the usage_daily primary key, so that sorting
    // the keys as strings puts most neighbouring upserts on the same B-tree pages.
    const key = `${event.account_id}\u0000${day}\u0000${userId}\u0000${featureKey}`;
    const row = this.rows.get(key);
    if (row) {
      row.count += count;
      row.events += 1;
      return;
    }
    this.rows.set(key, {
      account_id: event.account_id,
      user_id: userId,
      feature_key: featureKey,
      day,
      count,
      events: 1,
    });
  }

  /** Returns the summed rows in key order and starts again from empty. */
  take(): RollupRow[] {
    const keys = [...this.rows.keys()].sort();
    const rows = keys.map((key) => this.rows.get(key)!);
    this.rows.clear();
    return rows;
  }
}

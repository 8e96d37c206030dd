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
 * Sums newly stored events per account, user, feature and UTC day, so that the events of one key
 * between two calls of take() cost one usage_daily upsert, however many batches they came in.
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
    const key = `${event.account_id}\u0000${userId}\u0000${featureKey}\u0000${day}`;
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

  /**
   * Returns the summed rows and starts again from empty. The rows come in usage_daily primary
   * key order, because consecutive upserts then mostly touch B-tree pages already in the cache.
   */
  take(): RollupRow[] {
    const rows = [...this.rows.values()].sort(compareRollupKeys);
    this.rows.clear();
    return rows;
  }
}

/** Orders rollups by the usage_daily primary key (account, day, user, feature). */
function compareRollupKeys(a: RollupRow, b: RollupRow): number {
  if (a.account_id !== b.account_id) return a.account_id < b.account_id ? -1 : 1;
  if (a.day !== b.day) return a.day - b.day;
  if (a.user_id !== b.user_id) return a.user_id < b.user_id ? -1 : 1;
  if (a.feature_key !== b.feature_key) return a.feature_key < b.feature_key ? -1 : 1;
  return 0;
}

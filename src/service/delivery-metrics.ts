import type { DeliveryCount } from '../api/metrics';
import type { Store } from '../store/database';

/** Counts outbox rows by channel (action type) and status, for the deliveries gauge. */
export async function countDeliveries(store: Store): Promise<DeliveryCount[]> {
  const rows = await store.db
    .selectFrom('outbox')
    .select(['type', 'status'])
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .groupBy(['type', 'status'])
    .execute();
  return rows.map((row) => ({ channel: row.type, status: row.status, count: Number(row.count) }));
}

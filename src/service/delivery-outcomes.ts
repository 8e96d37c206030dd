import type { DeliveryView } from '../api/ports';
import type { Store } from '../store/database';
import type { OutboxRow, OutboxStatus } from '../store/schema';

/** Keys per `IN (...)` list, below SQLite's bound-parameter limit. */
const chunkSize = 500;

function toView(row: OutboxRow): DeliveryView {
  return {
    idempotencyKey: row.idempotency_key,
    ruleId: row.rule_id,
    ruleSetVersion: row.rule_set_version,
    type: row.type,
    recipient: row.recipient,
    template: row.template,
    status: row.status,
    reason: row.reason,
    attempts: row.attempts,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    finishedAt: row.finished_at,
    messageId: row.message_id,
  };
}

/**
 * Lists the outbox rows of one account, newest first, optionally of one
 * status only. Rows of equal creation time are ordered by key, so pages are stable.
 */
export async function listAccountDeliveries(
  store: Store,
  accountId: string,
  filter: { status?: OutboxStatus; limit: number },
): Promise<DeliveryView[]> {
  let query = store.db
    .selectFrom('outbox')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('idempotency_key', 'desc')
    .limit(filter.limit);
  if (filter.status) query = query.where('status', '=', filter.status);
  const rows = await query.execute();
  return rows.map(toView);
}

/** Reads the outbox rows of `keys`, by idempotency key; keys without a row are absent. */
export async function readDeliveryOutcomes(
  store: Store,
  keys: readonly string[],
): Promise<Map<string, DeliveryView>> {
  const unique = [...new Set(keys)];
  const outcomes = new Map<string, DeliveryView>();
  for (let start = 0; start < unique.length; start += chunkSize) {
    const rows = await store.db
      .selectFrom('outbox')
      .selectAll()
      .where('idempotency_key', 'in', unique.slice(start, start + chunkSize))
      .execute();
    for (const row of rows) outcomes.set(row.idempotency_key, toView(row));
  }
  return outcomes;
}

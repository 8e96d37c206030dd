import type { PlannedAction } from '../actions/types';
import type { Kysely } from 'kysely';
import type { Database, OutboxRow, OutboxStatus } from '../store/schema';

/** The store's query layer or an open transaction on it. */
export type Db = Kysely<Database>;

/** The outcome of claiming an action's outbox row. */
export type Claim =
  { claimed: true; attempts: number; resumed: boolean } | { claimed: false; row: OutboxRow };

/**
 * Inserts the outbox row of `action` as pending, for the store-only channels
 * that claim and finish it inside one transaction (see `recordOnce`). A row
 * that already finished means a duplicate. A row still pending is claimed
 * again with one more attempt and `resumed` set. Channels with a side effect
 * outside the store use `claimLease` instead.
 */
export async function claimOutbox(
  db: Db,
  action: PlannedAction,
  options: { messageId: string | null; now: number },
): Promise<Claim> {
  const inserted = await insertPendingRow(db, action, { ...options, attempts: 1 });
  if (inserted) {
    return { claimed: true, attempts: 1, resumed: false };
  }

  const resumed = await db
    .updateTable('outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('idempotency_key', '=', action.idempotencyKey)
    .where('status', '=', 'pending')
    .returning('attempts')
    .executeTakeFirst();
  if (resumed) return { claimed: true, attempts: resumed.attempts, resumed: true };
  return { claimed: false, row: await getOutboxRow(db, action.idempotencyKey) };
}

/** Inserts the pending outbox row of `action` unless its key exists; true when it inserted. */
export async function insertPendingRow(
  db: Db,
  action: PlannedAction,
  options: { messageId: string | null; now: number; attempts: number },
): Promise<boolean> {
  const result = await db
    .insertInto('outbox')
    .values({
      idempotency_key: action.idempotencyKey,
      account_id: action.accountId,
      rule_id: action.ruleId,
      rule_set_version: action.ruleSetVersion,
      type: action.type,
      recipient: action.recipient,
      template: action.template ?? null,
      status: 'pending',
      attempts: options.attempts,
      created_at: options.now,
      message_id: options.messageId,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/**
 * Records the final status of an outbox row and drops its lease. With
 * `owner`, only that lease holder's pending row changes.
 */
export async function finishOutbox(
  db: Db,
  key: string,
  status: Exclude<OutboxStatus, 'pending'>,
  details: { reason?: string; now: number; messageId?: string; owner?: string },
): Promise<void> {
  let query = db
    .updateTable('outbox')
    .set({
      status,
      reason: details.reason ?? null,
      sent_at: status === 'sent' ? details.now : null,
      finished_at: details.now,
      lease_owner: null,
      lease_expires_at: null,
      ...(details.messageId === undefined ? {} : { message_id: details.messageId }),
    })
    .where('idempotency_key', '=', key);
  if (details.owner !== undefined) {
    query = query.where('status', '=', 'pending').where('lease_owner', '=', details.owner);
  }
  await query.execute();
}

/** Records a transient error on a row that stays pending, so a retry can pick it up. */
export async function noteOutboxError(db: Db, key: string, reason: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ reason })
    .where('idempotency_key', '=', key)
    .where('status', '=', 'pending')
    .execute();
}

/** Reads one outbox row; throws when it does not exist. */
export async function getOutboxRow(db: Db, key: string): Promise<OutboxRow> {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('idempotency_key', '=', key)
    .executeTakeFirstOrThrow();
}

/** Outcome of a side effect done inside the outbox transaction. */
export interface EffectOutcome {
  status: Exclude<OutboxStatus, 'pending'>;
  reason?: string;
  messageId?: string;
}

/**
 * Claims the outbox row of `action` and runs `effect` in the same
 * transaction, so a store-only channel (notice, task) acts exactly once: a
 * second call finds the finished row and reports a duplicate.
 */
export async function recordOnce(
  db: Db,
  action: PlannedAction,
  now: number,
  effect: (trx: Db) => Promise<EffectOutcome>,
): Promise<{ outcome: EffectOutcome; duplicate: false } | { row: OutboxRow; duplicate: true }> {
  return db.transaction().execute(async (trx) => {
    const claim = await claimOutbox(trx, action, { messageId: null, now });
    if (!claim.claimed) return { row: claim.row, duplicate: true as const };
    const outcome = await effect(trx);
    await finishOutbox(trx, action.idempotencyKey, outcome.status, { ...outcome, now });
    return { outcome, duplicate: false as const };
  });
}

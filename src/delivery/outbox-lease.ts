import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { hostname } from 'node:os';
import type { Compilable } from 'kysely';
import type { Logger } from '../logger';
import type { PlannedAction } from '../actions/types';
import type { Store } from '../store/database';
import type { OutboxRow, OutboxStatus } from '../store/schema';
import { getOutboxRow, insertPendingRow, type Db } from './outbox';
import { whenReady } from './when-ready';

/**
 * How long a claim on an outbox row lasts unless its owner renews it. An
 * attempt renews every third of this while it works, so only an owner that
 * died (or stalled this long) loses the row to another attempt.
 */
export const defaultLeaseMs = 15_000;

/** The attempt that requests a row, and the terms of its lease. */
export interface LeaseRequest {
  /** Unique per delivery attempt, for example `<host>:<pid>:<random>`. */
  owner: string;
  now: number;
  leaseMs: number;
  messageId: string | null;
}

/** State of the row before a claim, for logs. */
export interface RowBefore {
  status: OutboxStatus | 'new';
  attempts: number;
  leaseOwner: string | null;
}

/** An earlier attempt that started to send the message and never recorded the outcome. */
export interface InterruptedSend {
  previousOwner: string | null;
  sendStartedAt: number;
  /** When that attempt had written the whole message to the relay connection; null if it had not. */
  handedOverAt: number | null;
}

/** The outcome of claiming the row of an action with a lease. */
export type LeaseClaim =
  | { claimed: true; attempts: number; before: RowBefore; interrupted: InterruptedSend | null }
  | { claimed: false; state: 'finished' | 'leased'; row: OutboxRow; before: RowBefore };

/**
 * Claims the outbox row of `action` for one attempt, inserting it as pending
 * first if needed. The claim is one conditional UPDATE, so among concurrent
 * claimants (attempts, workers, processes on the same SQLite file) exactly
 * one wins. Another attempt wins only after the lease expires. A finished row
 * (sent, skipped, failed) is never claimed again.
 */
export async function claimLease(
  db: Db,
  action: PlannedAction,
  request: LeaseRequest,
): Promise<LeaseClaim> {
  await insertPendingRow(db, action, { ...request, attempts: 0 });
  const before = await readBefore(db, action.idempotencyKey);
  const won = await db
    .updateTable('outbox')
    .set((eb) => ({
      lease_owner: request.owner,
      lease_expires_at: request.now + request.leaseMs,
      attempts: eb('attempts', '+', 1),
    }))
    .where('idempotency_key', '=', action.idempotencyKey)
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', request.now)]),
    )
    .returning(['attempts', 'send_started_at', 'handed_over_at'])
    .executeTakeFirst();
  if (won) {
    const interrupted =
      won.send_started_at === null
        ? null
        : {
            previousOwner: before.leaseOwner,
            sendStartedAt: won.send_started_at,
            handedOverAt: won.handed_over_at,
          };
    return { claimed: true, attempts: won.attempts, before, interrupted };
  }
  const row = await getOutboxRow(db, action.idempotencyKey);
  return { claimed: false, state: row.status === 'pending' ? 'leased' : 'finished', row, before };
}

async function readBefore(db: Db, key: string): Promise<RowBefore> {
  const row = await getOutboxRow(db, key);
  const fresh = row.attempts === 0 && row.status === 'pending';
  return {
    status: fresh ? 'new' : row.status,
    attempts: row.attempts,
    leaseOwner: row.lease_owner,
  };
}

/** Extra wait after a lease's expiry, so the retry does not arrive just before it. */
const retryMarginMs = 500;

/**
 * Builds the retryable failure for a row whose lease another attempt owns. The
 * retry is asked for right after the lease expires rather than on the growing
 * backoff, so the actions of a dead worker go out soon after its leases lapse.
 */
export function leaseHeldFailure(channel: string, row: OutboxRow, now: number): ApplicationFailure {
  const expiresAt = row.lease_expires_at ?? now;
  return ApplicationFailure.create({
    message:
      `${channel} ${row.idempotency_key} is being sent by attempt ${row.lease_owner} ` +
      `whose lease runs until ${new Date(expiresAt).toISOString()}; retry after that`,
    type: 'OutboxLeaseHeld',
    nextRetryDelay: Math.max(expiresAt - now, 0) + retryMarginMs,
  });
}

/** Extends the lease while its owner still holds it; false when the owner lost it. */
export async function renewLease(
  db: Db,
  key: string,
  owner: string,
  until: number,
): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ lease_expires_at: until })
    .where('idempotency_key', '=', key)
    .where('status', '=', 'pending')
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Returns a new lease owner id, `<host>:<pid>:<random>`, unique per delivery attempt. */
export function leaseOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Renews the lease every third of `leaseMs` until the returned function is
 * called, so a live attempt keeps its row however long its send waits. Logs
 * once when the owner finds its lease lost.
 */
export function keepLeaseAlive(
  db: Db,
  key: string,
  owner: string,
  options: { leaseMs: number; clock: () => number; log: Logger },
): () => void {
  let warned = false;
  let stopped = false;
  const renew = (): void => {
    renewLease(db, key, owner, options.clock() + options.leaseMs)
      .then((held) => {
        if (held || warned || stopped) return;
        warned = true;
        options.log.warn({ owner }, 'outbox lease lost while the attempt was still running');
      })
      .catch((error: unknown) => options.log.warn({ err: error }, 'outbox lease renewal failed'));
  };
  const timer = setInterval(renew, Math.max(1, Math.floor(options.leaseMs / 3)));
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

/**
 * Records, synchronously, that the owner is handing the message to the relay
 * now. Returns false without writing when the owner no longer holds the
 * lease, so the caller must not send. Being synchronous, nothing else runs in
 * this process between the check and the send that follows it.
 */
export function markSendStarted(store: Store, key: string, owner: string, now: number): boolean {
  const query = updateOwnedRow(store, key, owner)
    .set({ send_started_at: now })
    .where('lease_expires_at', '>', now);
  return runSync(store, query) === 1;
}

/**
 * Records, synchronously, that the relay is bound to get the whole message
 * from the owner's connection even if this process dies now.
 * Returns false when the owner no longer owns the row.
 */
export function markHandedOver(store: Store, key: string, owner: string, now: number): boolean {
  return runSync(store, updateOwnedRow(store, key, owner).set({ handed_over_at: now })) === 1;
}

/** Withdraws the hand-over mark of the owner's row, when the last byte did not reach the kernel. */
export function clearHandedOver(store: Store, key: string, owner: string): boolean {
  return runSync(store, updateOwnedRow(store, key, owner).set({ handed_over_at: null })) === 1;
}

/** Starts an update of the pending row of `key` that only applies while `owner` owns it. */
function updateOwnedRow(store: Store, key: string, owner: string) {
  return store.db
    .updateTable('outbox')
    .where('idempotency_key', '=', key)
    .where('status', '=', 'pending')
    .where('lease_owner', '=', owner);
}

/** Kind of record of a sent message: under the owner's lease, after losing it, or none. */
export type SentRecord = 'owner' | 'lease-lost' | 'already-finished';

/**
 * Marks the row sent, synchronously, in the same event-loop turn in which the
 * relay's acceptance arrives, and releases the lease. A message the relay took
 * is recorded even when the lease was lost meanwhile, so no later attempt
 * sends it again. Returns which case happened.
 */
export function markSentSync(store: Store, key: string, owner: string, now: number): SentRecord {
  const sent = (ownerOnly: boolean) => {
    let query = store.db
      .updateTable('outbox')
      .set({
        status: 'sent',
        sent_at: now,
        finished_at: now,
        reason: null,
        lease_owner: null,
        lease_expires_at: null,
      })
      .where('idempotency_key', '=', key)
      .where('status', '=', 'pending');
    if (ownerOnly) query = query.where('lease_owner', '=', owner);
    return runSync(store, query) === 1;
  };
  if (sent(true)) return 'owner';
  return sent(false) ? 'lease-lost' : 'already-finished';
}

/**
 * Releases the lease after a transient failure so the next attempt can claim
 * the row at once. Set `clearSendMark` only when the relay cannot have the
 * message: it replied with an error, or the send failed before any message
 * data went out. Otherwise the mark stays and the next attempt treats the send
 * as interrupted.
 */
export async function releaseLease(
  db: Db,
  key: string,
  owner: string,
  details: { reason: string; clearSendMark: boolean },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      reason: details.reason,
      lease_owner: null,
      lease_expires_at: null,
      ...(details.clearSendMark ? { send_started_at: null, handed_over_at: null } : {}),
    })
    .where('idempotency_key', '=', key)
    .where('status', '=', 'pending')
    .where('lease_owner', '=', owner)
    .execute();
}

/** Tells whether no transaction is open on the store's connection, so a synchronous mark commits at once. */
export function storeIdle(store: Store): boolean {
  return !store.sqlite.inTransaction;
}

/**
 * Runs `mark` once no transaction is open on the store's connection and
 * resolves with its result. A synchronous mark written
 * while other work has a transaction open there would commit or roll back
 * with that work.
 */
export function whenStoreIdle<T>(store: Store, mark: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    whenReady(
      () => storeIdle(store),
      () => {
        try {
          resolve(mark());
        } catch (error) {
          reject(error);
        }
      },
    ),
  );
}

/** Runs a Kysely query on the better-sqlite3 handle at once; returns the changed row count. */
function runSync(store: Store, query: Compilable): number {
  const compiled = query.compile();
  return store.sqlite.prepare(compiled.sql).run(...compiled.parameters).changes;
}

import type { Kysely } from 'kysely';

/**
 * Adds when the delivery attempt that owns an outbox row handed the whole
 * message to the relay: the last byte of its data, terminator included, was
 * written to the connection. A later attempt does not send such a row again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('handed_over_at', 'bigint').execute();
}

/** Drops the hand-over column. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('handed_over_at').execute();
}

import type { Kysely } from 'kysely';

/**
 * Adds the lease of an outbox row: the delivery attempt that owns a pending
 * row, until when, and when that attempt handed the message to the relay.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('lease_expires_at', 'bigint').execute();
  await db.schema.alterTable('outbox').addColumn('send_started_at', 'bigint').execute();
}

/** Drops the lease columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['send_started_at', 'lease_expires_at', 'lease_owner']) {
    await db.schema.alterTable('outbox').dropColumn(column).execute();
  }
}

import { sql, type Kysely } from 'kysely';

/**
 * Adds when an outbox row reached its final status (sent, failed or
 * skipped), so a failed or skipped delivery has a time too. Rows sent
 * earlier take their send time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('finished_at', 'bigint').execute();
  await sql`update outbox set finished_at = sent_at where sent_at is not null`.execute(db);
}

/** Drops the finish time. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('finished_at').execute();
}

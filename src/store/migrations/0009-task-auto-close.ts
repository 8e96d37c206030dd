import { sql, type Kysely } from 'kysely';

/**
 * Adds whether a task closes by itself once its rule stops firing (1, the
 * default, also for existing tasks) and the reason it was closed that way.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('tasks')
    .addColumn('auto_close', 'integer', (column) => column.notNull().defaultTo(sql`1`))
    .execute();
  await db.schema.alterTable('tasks').addColumn('closed_reason', 'text').execute();
}

/** Drops the two columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tasks').dropColumn('closed_reason').execute();
  await db.schema.alterTable('tasks').dropColumn('auto_close').execute();
}

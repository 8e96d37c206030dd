import type { Kysely } from 'kysely';

/**
 * Creates `checks`: one row per account check with what fired, what did not
 * and on which conditions, what was held back and why, and what was planned.
 * It is the store behind "recent decisions with explanations".
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('checks')
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('check_number', 'integer', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('rule_set_version', 'text', (c) => c.notNull())
    .addColumn('fired', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('not_fired', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('held', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('planned', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('transition', 'text')
    .addPrimaryKeyConstraint('checks_pk', ['workflow_id', 'check_number'])
    .execute();
  await db.schema
    .createIndex('checks_account_time')
    .on('checks')
    .columns(['account_id', 'checked_at'])
    .execute();
}

/** Drops the checks table. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('checks').execute();
}

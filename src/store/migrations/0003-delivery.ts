import { sql, type Kysely } from 'kysely';

/**
 * Creates the delivery tables: the outbox that makes every action idempotent,
 * in-app notices, CSM tasks, the suppression list and webhook attempts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_set_version', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('template', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('reason', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('message_id', 'text')
    .execute();
  await db.schema
    .createIndex('outbox_account_time')
    .on('outbox')
    .columns(['account_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .addColumn('dismissed_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('notices_user_time')
    .on('notices')
    .columns(['user_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('snoozed_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();
  // A snoozed task is still the CSM's to handle, so it counts as open here: the
  // database itself rejects a second unfinished task for the same account and rule.
  await db.schema
    .createIndex('tasks_one_open_per_rule')
    .on('tasks')
    .columns(['account_id', 'rule_id'])
    .unique()
    .where(sql.ref('status'), '<>', 'done')
    .execute();
  await db.schema
    .createIndex('tasks_owner_status')
    .on('tasks')
    .columns(['owner', 'status', 'due_at'])
    .execute();

  await db.schema
    .createTable('suppressions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('email', 'text')
    .addColumn('user_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('suppressions_email').on('suppressions').column('email').execute();
  await db.schema.createIndex('suppressions_user').on('suppressions').column('user_id').execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('attempted_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_key')
    .on('webhook_deliveries')
    .column('idempotency_key')
    .execute();
}

/** Drops everything that up() created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['webhook_deliveries', 'suppressions', 'tasks', 'notices', 'outbox']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

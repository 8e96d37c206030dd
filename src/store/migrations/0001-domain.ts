import { type CreateTableBuilder, type Kysely, SqliteAdapter, sql } from 'kysely';

/** Creates the domain model: accounts, users, contracts, features, usage, milestones, goals, tickets, feedback. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('plan', 'text')
    .addColumn('csm_owner', 'text')
    .addColumn('csm_email', 'text')
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('stage', 'text', (c) => c.notNull().defaultTo('onboarding'))
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('email', 'text')
    .addColumn('name', 'text')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('user'))
    .addColumn('timezone', 'text')
    .addColumn('subscribed', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_account').on('users').column('account_id').execute();

  await db.schema
    .createTable('contracts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('term_number', 'integer', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('renewal_at', 'bigint', (c) => c.notNull())
    .addColumn('seats', 'integer')
    .addColumn('value', 'real')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('outcome', 'text')
    .addColumn('outcome_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('contracts_account_term')
    .on('contracts')
    .columns(['account_id', 'term_number'])
    .execute();

  await db.schema
    .createTable('features')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('released_at', 'bigint')
    .addColumn('is_key', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('help_url', 'text')
    .execute();

  await db.schema
    .createTable('usage_events')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('feature_key', 'text')
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
    .$call(withoutRowidOnSqlite(db))
    .execute();

  await db.schema
    .createTable('usage_daily')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('feature_key', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_daily_pk', ['account_id', 'day', 'user_id', 'feature_key'])
    .$call(withoutRowidOnSqlite(db))
    .execute();

  await db.schema
    .createTable('milestones')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    .addPrimaryKeyConstraint('milestones_pk', ['account_id', 'key'])
    .execute();

  await db.schema
    .createTable('goals')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('met_at', 'bigint')
    .addPrimaryKeyConstraint('goals_pk', ['account_id', 'key'])
    .execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addColumn('priority', 'text')
    .addColumn('subject', 'text')
    .addColumn('satisfaction', 'real')
    .execute();
  await db.schema
    .createIndex('tickets_account')
    .on('tickets')
    .columns(['account_id', 'opened_at'])
    .execute();

  await db.schema
    .createTable('feedback')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('feature_key', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('early_adopter', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('routed_at', 'bigint')
    .execute();
}

/**
 * Stores a table clustered on its primary key on SQLite, so each usage write touches one
 * B-tree instead of the table plus its key index. Usage tables take most writes, and
 * readers query them by key (usage_daily by account and day).
 */
function withoutRowidOnSqlite(db: Kysely<unknown>) {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  return <T extends string>(builder: CreateTableBuilder<T>): CreateTableBuilder<T> =>
    sqlite ? builder.modifyEnd(sql`without rowid`) : builder;
}

/** Drops everything that up() created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'feedback',
    'tickets',
    'goals',
    'milestones',
    'usage_daily',
    'usage_events',
    'features',
    'contracts',
    'users',
    'accounts',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

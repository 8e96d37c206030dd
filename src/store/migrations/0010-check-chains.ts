import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Keys checks by workflow id, run chain and check number. A workflow that
 * starts again under the same id (an account won back) counts its checks from
 * the start, and would otherwise overwrite the explanations of the first
 * chain. Rows stored before this get the empty chain id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createChecks(db, 'checks_by_chain', true);
  await sql`insert into checks_by_chain (workflow_id, chain_id, check_number, account_id,
      checked_at, stage, rule_set_version, fired, not_fired, held, planned, transition)
    select workflow_id, '', check_number, account_id, checked_at, stage, rule_set_version,
      fired, not_fired, held, planned, transition from checks`.execute(db);
  await db.schema.dropTable('checks').execute();
  await db.schema.alterTable('checks_by_chain').renameTo('checks').execute();
  await db.schema
    .createIndex('checks_account_time')
    .on('checks')
    .columns(['account_id', 'checked_at'])
    .execute();
}

/** Goes back to one row per workflow id and check number, keeping the first chain's rows. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await createChecks(db, 'checks_by_workflow', false);
  await sql`insert or ignore into checks_by_workflow select workflow_id, check_number,
      account_id, checked_at, stage, rule_set_version, fired, not_fired, held, planned, transition
    from checks order by chain_id`.execute(db);
  await db.schema.dropTable('checks').execute();
  await db.schema.alterTable('checks_by_workflow').renameTo('checks').execute();
  await db.schema
    .createIndex('checks_account_time')
    .on('checks')
    .columns(['account_id', 'checked_at'])
    .execute();
}

async function createChecks(db: Kysely<unknown>, name: string, withChain: boolean): Promise<void> {
  // Typed with any column name, since the key names chain_id only when it is added.
  let table: CreateTableBuilder<string, string> = db.schema
    .createTable(name)
    .addColumn('workflow_id', 'text', (c) => c.notNull());
  if (withChain) table = table.addColumn('chain_id', 'text', (c) => c.notNull().defaultTo(''));
  await table
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
    .addPrimaryKeyConstraint(
      `${name}_pk`,
      withChain ? ['workflow_id', 'chain_id', 'check_number'] : ['workflow_id', 'check_number'],
    )
    .execute();
}

import type { Kysely } from 'kysely';

/**
 * Creates the versioned benchmark sets: the whole learned set as JSON, and one
 * row per signal and account week so that AUCs and thresholds can be queried.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('benchmark_sets')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('terms_before', 'bigint')
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('benchmark_signals')
    .addColumn('version', 'integer', (c) => c.notNull().references('benchmark_sets.version'))
    .addColumn('signal', 'text', (c) => c.notNull())
    .addColumn('week', 'integer', (c) => c.notNull())
    .addColumn('renewed_count', 'integer', (c) => c.notNull())
    .addColumn('churned_count', 'integer', (c) => c.notNull())
    .addColumn('renewed_median', 'real')
    .addColumn('churned_median', 'real')
    .addColumn('auc', 'real')
    .addColumn('threshold', 'real')
    .addColumn('healthier', 'text')
    .addPrimaryKeyConstraint('benchmark_signals_pk', ['version', 'signal', 'week'])
    .execute();
}

/** Drops the benchmark tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('benchmark_signals').execute();
  await db.schema.dropTable('benchmark_sets').execute();
}

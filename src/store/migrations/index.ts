import type { Migration, MigrationProvider } from 'kysely';
import * as domain from './0001-domain';
import * as delivery from './0003-delivery';
import * as lifecycle from './0004-lifecycle';
import * as learn from './0006-learn';
import * as outboxLease from './0007-outbox-lease';
import * as outboxHandover from './0008-outbox-handover';
import * as taskAutoClose from './0009-task-auto-close';
import * as checkChains from './0010-check-chains';
import * as outboxFinished from './0011-outbox-finished';

/**
 * The ordered list of schema migrations. Append new ones with the next number;
 * never edit one that has shipped, because stores record which names ran.
 */
export const migrations: Record<string, Migration> = {
  '0001-domain': domain,
  '0003-delivery': delivery,
  '0004-lifecycle': lifecycle,
  '0006-learn': learn,
  '0007-outbox-lease': outboxLease,
  '0008-outbox-handover': outboxHandover,
  '0009-task-auto-close': taskAutoClose,
  '0010-check-chains': checkChains,
  '0011-outbox-finished': outboxFinished,
};

/** Hands the in-code migrations to Kysely's Migrator. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

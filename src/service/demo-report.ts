import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import { emlFileName } from '../delivery/mail-transport';
import type { Store } from '../store/database';
import { ensureAccountWorkflow } from '../temporal/client';
import { readEmailAttemptFailures, type EmailAttemptFailures } from './email-attempts';

/** Counts and samples of the playbook's actions so far, read from the store. */
export interface PlaybookReport {
  accounts: number;
  checkedAccounts: number;
  checks: number;
  tasksByRule: Record<string, number>;
  noticesByRule: Record<string, number>;
  emailsByRule: Record<string, number>;
  deliveriesByStatus: Record<string, number>;
  heldByReason: Record<string, number>;
  sampleTasks: { id: string; accountId: string; owner: string; title: string; ruleId: string }[];
  sampleNotices: { userId: string; title: string; ruleId: string }[];
  /** Paths of .eml files written for sent emails (empty with SMTP). */
  emlFiles: string[];
  /** Email send attempts that failed so far, and the last error code. */
  emailFailures: EmailAttemptFailures;
  sampleAccountId?: string;
}

async function countBy(store: Store, query: string): Promise<Record<string, number>> {
  const rows = await sql<{ key: string; n: number }>`${sql.raw(query)}`.execute(store.db);
  return Object.fromEntries(rows.rows.map((row) => [row.key, Number(row.n)]));
}

async function countHeld(store: Store): Promise<Record<string, number>> {
  const rows = await store.db.selectFrom('checks').select('held').execute();
  const counts: Record<string, number> = {};
  for (const row of rows) {
    for (const held of JSON.parse(row.held) as { reason?: string }[]) {
      // Cooldown reasons end with their own date; group them by the rule of the cooldown instead.
      const reason = (held.reason ?? 'unknown').replace(/ until \S+$/, '');
      counts[reason] = (counts[reason] ?? 0) + 1;
    }
  }
  return counts;
}

/** Reads tasks, notices, emails and held-back actions of the playbook from the store. */
export async function readPlaybookReport(store: Store, outboxDir: string): Promise<PlaybookReport> {
  const one = async (query: string) =>
    Number(Object.values(await countBy(store, `select 'n' as key, ${query} as n`))[0] ?? 0);
  const sentEmails = await store.db
    .selectFrom('outbox')
    .select('idempotency_key')
    .where('type', '=', 'email')
    .where('status', '=', 'sent')
    .orderBy('created_at')
    .execute();
  const sampleAccount = await store.db
    .selectFrom('tasks')
    .select('account_id')
    .orderBy('created_at')
    .executeTakeFirst();

  return {
    accounts: await one('(select count(*) from accounts)'),
    checkedAccounts: await one('(select count(distinct account_id) from checks)'),
    checks: await one('(select count(*) from checks)'),
    tasksByRule: await countBy(
      store,
      'select rule_id as key, count(*) as n from tasks group by rule_id',
    ),
    noticesByRule: await countBy(
      store,
      'select rule_id as key, count(*) as n from notices group by rule_id',
    ),
    emailsByRule: await countBy(
      store,
      "select rule_id as key, count(*) as n from outbox where type = 'email' and status = 'sent' group by rule_id",
    ),
    deliveriesByStatus: await countBy(
      store,
      "select type || ' ' || status as key, count(*) as n from outbox group by type, status",
    ),
    heldByReason: await countHeld(store),
    sampleTasks: (
      await store.db
        .selectFrom('tasks')
        .selectAll()
        .orderBy('priority')
        .orderBy('due_at')
        .limit(5)
        .execute()
    ).map((task) => ({
      id: task.id,
      accountId: task.account_id,
      owner: task.owner,
      title: task.title,
      ruleId: task.rule_id,
    })),
    sampleNotices: (await store.db.selectFrom('notices').selectAll().limit(3).execute()).map(
      (notice) => ({
        userId: notice.user_id,
        title: notice.title,
        ruleId: notice.rule_id,
      }),
    ),
    emlFiles: sentEmails
      .map((row) => join(outboxDir, emlFileName(row.idempotency_key)))
      .filter((path) => existsSync(path)),
    emailFailures: await readEmailAttemptFailures(store),
    ...(sampleAccount ? { sampleAccountId: sampleAccount.account_id } : {}),
  };
}

/**
 * Waits until every account has been checked, at least `minimumChecks`
 * checks exist, and the outbox has no pending rows and stopped growing, or
 * until `timeoutMs` passes. Returns whether it
 * settled in time.
 */
export async function waitForPlaybook(
  store: Store,
  timeoutMs: number,
  minimumChecks = 0,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let lastOutbox = -1;
  while (Date.now() < deadline) {
    const row = await sql<{
      accounts: number;
      checked: number;
      checks: number;
      pending: number;
      outbox: number;
    }>`
      select (select count(*) from accounts) as accounts,
             (select count(*) from checks) as checks,
             (select count(distinct account_id) from checks) as checked,
             (select count(*) from outbox where status = 'pending') as pending,
             (select count(*) from outbox) as outbox`.execute(store.db);
    const counts = row.rows[0];
    if (
      counts &&
      counts.accounts > 0 &&
      counts.checked >= counts.accounts &&
      counts.checks >= minimumChecks &&
      counts.pending === 0
    ) {
      if (counts.outbox === lastOutbox) return true;
      lastOutbox = counts.outbox;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  }
  return false;
}

/**
 * Asks for an immediate check of every account whose latest check moved it
 * to another stage. The next regular check in the new stage may be a week
 * away, so without this the demo would show only the onboarding rules.
 * Returns how many accounts were asked.
 */
export async function recheckMovedAccounts(
  store: Store,
  client: Client,
  taskQueue: string,
): Promise<number> {
  const rows = await sql<{ account_id: string }>`
    select account_id from checks c
    where transition is not null
      and checked_at = (select max(checked_at) from checks where account_id = c.account_id)`.execute(
    store.db,
  );
  const at = Date.now();
  for (const row of rows.rows) {
    await ensureAccountWorkflow(client, row.account_id, {
      taskQueue,
      signal: 'recheck',
      payload: { id: `demo-recheck:${row.account_id}:${at}`, reason: 'demo: show the new stage' },
    });
  }
  return rows.rows.length;
}

import { sql } from 'kysely';
import type { Store } from '../store/database';

/** Email send attempts that did not deliver, read from the outbox. */
export interface EmailAttemptFailures {
  /** Attempts that ended without the message being sent, summed over every email row. */
  failedAttempts: number;
  /** Error code (such as ECONNREFUSED or an SMTP reply code) of the newest row with an error. */
  lastErrorCode?: string;
}

/** Returns the first error code in an outbox reason: a system error name, else an SMTP reply code. */
export function errorCodeInReason(reason: string): string | undefined {
  return /\b(E[A-Z]{3,})\b/.exec(reason)?.[1] ?? /\b([45]\d\d)\b/.exec(reason)?.[1];
}

/**
 * Counts the failed email attempts in the outbox as attempts - sent - leased,
 * because an attempt either sent its row, still owns the row's lease, or failed.
 * NOTE: a lease left by a killed worker counts as in flight until another attempt
 * takes the row over. Skipped rows (suppressed or unsubscribed) are left out.
 */
export async function readEmailAttemptFailures(store: Store): Promise<EmailAttemptFailures> {
  const totals = await sql<{ failed: number | null }>`
    select sum(attempts - (case when status = 'sent' then 1 else 0 end)
                        - (case when status = 'pending' and lease_owner is not null then 1 else 0 end))
           as failed
    from outbox where type = 'email' and status != 'skipped'`.execute(store.db);
  // NOTE: the outbox keeps no time of the last error, so the newest row with a reason is used.
  const latest = await store.db
    .selectFrom('outbox')
    .select('reason')
    .where('type', '=', 'email')
    .where('status', 'in', ['pending', 'failed'])
    .where('reason', 'is not', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const code = latest?.reason ? errorCodeInReason(latest.reason) : undefined;
  return {
    failedAttempts: Math.max(0, Number(totals.rows[0]?.failed ?? 0)),
    ...(code ? { lastErrorCode: code } : {}),
  };
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Insertable } from 'kysely';
import { openStore, type Store } from '../../src/store/database';
import type { OutboxTable } from '../../src/store/schema';
import { errorCodeInReason, readEmailAttemptFailures } from '../../src/service/email-attempts';

let sequence = 0;

function row(fields: Partial<Insertable<OutboxTable>>): Insertable<OutboxTable> {
  sequence += 1;
  return {
    idempotency_key: `key-${sequence}`,
    account_id: 'acc-1',
    rule_id: 'welcome',
    rule_set_version: 'v1',
    type: 'email',
    recipient: `user-${sequence}`,
    template: 'welcome',
    status: 'pending',
    reason: null,
    attempts: 1,
    created_at: 1_000 + sequence,
    sent_at: null,
    message_id: null,
    lease_owner: null,
    lease_expires_at: null,
    send_started_at: null,
    ...fields,
  };
}

describe('readEmailAttemptFailures', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(join(mkdtempSync(join(tmpdir(), 'uptake-attempts-')), 'db.sqlite'));
  });
  afterEach(() => store.close());

  it('counts failed attempts', async () => {
    const refused = 'SMTP send failed, will retry: connect ECONNREFUSED 127.0.0.1:1';
    await store.db
      .insertInto('outbox')
      .values([
        row({ attempts: 3, reason: refused }),
        row({ attempts: 2, status: 'sent', sent_at: 5_000 }),
        row({ attempts: 2, lease_owner: 'attempt-7', reason: refused }),
        row({ attempts: 1, status: 'failed', reason: 'SMTP server rejected the message: 550 no' }),
        row({ attempts: 4, status: 'skipped', reason: 'recipient unsubscribed' }),
        row({ attempts: 5, type: 'webhook', reason: 'HTTP 500' }),
      ])
      .execute();

    const failures = await readEmailAttemptFailures(store);

    // 3 + (2 - 1 sent) + (2 - 1 leased) + 1 failed; skipped rows and webhooks are left out.
    expect(failures.failedAttempts).toBe(6);
    expect(failures.lastErrorCode).toBe('550');
  });

  it('reports none without failures', async () => {
    await store.db
      .insertInto('outbox')
      .values([row({ status: 'sent', sent_at: 5_000 })])
      .execute();

    const failures = await readEmailAttemptFailures(store);

    expect(failures.failedAttempts).toBe(0);
    expect(failures.lastErrorCode).toBeUndefined();
  });
});

describe('errorCodeInReason', () => {
  it('finds a system error name', () => {
    expect(
      errorCodeInReason('SMTP send failed, will retry: connect ECONNREFUSED 127.0.0.1:1'),
    ).toBe('ECONNREFUSED');
  });

  it('finds an SMTP reply code', () => {
    expect(errorCodeInReason('SMTP server rejected the message: 550 mailbox unknown')).toBe('550');
  });

  it('finds nothing in plain text', () => {
    expect(errorCodeInReason('email not built, will retry: template missing')).toBeUndefined();
  });
});

import type { ParsedMail } from 'mailparser';
import type { DeliveryDeps } from '../../src/delivery/config';
import { deliverEmail } from '../../src/delivery/email';
import { createMailTransport, type MailTransport } from '../../src/delivery/mail-transport';
import { getOutboxRow } from '../../src/delivery/outbox';
import {
  suppressEmail,
  unsubscribeUser,
  verifyUnsubscribeToken,
} from '../../src/delivery/unsubscribe';
import type { Store } from '../../src/store/database';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp';
import { createDeps, createTestStore, plannedAction, testConfig } from './helpers/store';

describe('deliverEmail over SMTP', () => {
  let smtp: TestSmtpServer;
  let store: Store;
  let cleanup: () => Promise<void>;
  let transport: MailTransport;
  let deps: DeliveryDeps;

  beforeEach(async () => {
    smtp = await startSmtpServer();
    ({ store, cleanup } = await createTestStore());
    transport = createMailTransport({ smtpUrl: smtp.url, outboxDir: '/nonexistent' });
    deps = createDeps(store, transport);
  });

  afterEach(async () => {
    transport.close();
    await smtp.close();
    await cleanup();
  });

  describe('a sent message', () => {
    let mail: ParsedMail;

    beforeEach(async () => {
      const result = await deliverEmail(deps, plannedAction('email'));
      expect(result.status).toBe('sent');
      mail = await smtp.parse(0);
    });

    it('has the From header', () => {
      expect(mail.from?.value[0]).toEqual({ name: 'Acme Success', address: 'success@vendor.test' });
    });

    it('has the To header', () => {
      expect(mail.to).toMatchObject({
        value: [{ name: 'Ada Lovelace', address: 'ada@northwind.test' }],
      });
    });

    it('has the rendered subject', () => {
      expect(mail.subject).toBe('2 features Northwind has not tried yet');
    });

    it('has a Message-ID derived from the key', () => {
      expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@vendor\.test>$/);
    });

    it('records the Message-ID in the outbox', async () => {
      const row = await getOutboxRow(store.db, plannedAction('email').idempotencyKey);
      expect(row.message_id).toBe(mail.messageId);
    });

    const headerLine = (name: string) => mail.headerLines.find((h) => h.key === name)?.line;

    it('has List-Unsubscribe with https and mailto', () => {
      expect(headerLine('list-unsubscribe')?.replace(/\r?\n\s+/g, ' ')).toMatch(
        /^List-Unsubscribe: <https:\/\/app\.vendor\.test\/unsubscribe\?token=[^>]+>, <mailto:unsubscribe@vendor\.test\?subject=unsubscribe>$/,
      );
    });

    it('has List-Unsubscribe-Post one-click', () => {
      expect(headerLine('list-unsubscribe-post')).toBe(
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
      );
    });

    it('has an HTML part teaching both features', () => {
      expect(mail.html).toContain('<strong>Scheduled reports</strong>');
      expect(mail.html).toContain('href="https://help.vendor.test/reports"');
      expect(mail.html).toContain('<strong>Alerts</strong>');
    });

    it('has a text part with the help links', () => {
      expect(mail.text).toContain('- Scheduled reports: https://help.vendor.test/reports');
      expect(mail.text).toContain('- Alerts: https://app.vendor.test/features/alerts');
    });

    it('carries an unsubscribe link that verifies', () => {
      const match = /https:\/\/app\.vendor\.test\/unsubscribe\?token=([A-Za-z0-9_.-]+)/.exec(
        mail.text ?? '',
      );
      expect(match).not.toBeNull();
      expect(verifyUnsubscribeToken(match?.[1] ?? '', testConfig.unsubscribeSecret)).toBe('u-ada');
    });

    it('goes to the recipient envelope only', () => {
      expect(smtp.received[0]?.recipients).toEqual(['ada@northwind.test']);
    });
  });

  it('sends once for the same key', async () => {
    const first = await deliverEmail(deps, plannedAction('email'));
    const second = await deliverEmail(deps, plannedAction('email'));
    expect(first.status).toBe('sent');
    expect(second.status).toBe('duplicate');
    expect(smtp.received).toHaveLength(1);
  });

  it('reuses one pooled connection', async () => {
    for (const recipient of ['u-ada', 'u-bob']) {
      await deliverEmail(deps, plannedAction('email', { recipient }));
    }
    expect(smtp.received).toHaveLength(2);
    expect(smtp.connections()).toBe(1);
  });

  it('sends after a crash before sending', async () => {
    const action = plannedAction('email');
    await store.db
      .insertInto('outbox')
      .values({
        idempotency_key: action.idempotencyKey,
        account_id: 'acc-1',
        rule_id: action.ruleId,
        rule_set_version: 'v-test',
        type: 'email',
        recipient: 'u-ada',
        template: 'key-features',
        status: 'pending',
        attempts: 1,
        created_at: 0,
      })
      .execute();
    const result = await deliverEmail(deps, action);
    expect(result.status).toBe('sent');
    expect(smtp.received).toHaveLength(1);
    expect((await getOutboxRow(store.db, action.idempotencyKey)).attempts).toBe(2);
  });

  it('skips an unsubscribed user', async () => {
    await unsubscribeUser(store, 'u-ada');
    const result = await deliverEmail(deps, plannedAction('email'));
    expect(result).toMatchObject({ status: 'skipped', reason: 'unsubscribed' });
    expect(smtp.received).toHaveLength(0);
  });

  it('skips a suppressed address', async () => {
    await suppressEmail(store, 'ADA@northwind.test', 'hard bounce');
    const result = await deliverEmail(deps, plannedAction('email'));
    expect(result).toMatchObject({ status: 'skipped', reason: 'suppressed: hard bounce' });
    expect(smtp.received).toHaveLength(0);
    expect((await getOutboxRow(store.db, plannedAction('email').idempotencyKey)).status).toBe(
      'skipped',
    );
  });

  it('fails on a missing template variable', async () => {
    const action = plannedAction('email', { evidence: {} });
    const result = await deliverEmail(deps, action);
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('key-features.subject.hbs');
    expect(smtp.received).toHaveLength(0);
  });

  it('throws retryably when the server is down', async () => {
    await smtp.close();
    await expect(deliverEmail(deps, plannedAction('email'))).rejects.toMatchObject({
      name: 'ApplicationFailure',
      nonRetryable: false,
    });
    const row = await getOutboxRow(store.db, plannedAction('email').idempotencyKey);
    expect(row.status).toBe('pending');
    expect(row.reason).toMatch(/^SMTP send failed, will retry/);
  });
});

import type { DeliveryDeps } from '../../src/delivery/config';
import { deliverEmail } from '../../src/delivery/email';
import { messageIdFor } from '../../src/delivery/email-message';
import { createMailTransport, type MailTransport } from '../../src/delivery/mail-transport';
import { getOutboxRow } from '../../src/delivery/outbox';
import {
  claimLease,
  defaultLeaseMs,
  markHandedOver,
  markSendStarted,
} from '../../src/delivery/outbox-lease';
import type { Store } from '../../src/store/database';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp';
import { createDeps, createTestStore, plannedAction, testConfig, testNow } from './helpers/store';

describe('deliverEmail under an outbox lease', () => {
  let smtp: TestSmtpServer;
  let store: Store;
  let cleanup: () => Promise<void>;
  let transport: MailTransport;
  let deps: DeliveryDeps;
  const action = plannedAction('email');
  const key = action.idempotencyKey;
  const messageId = messageIdFor(key, testConfig.from.address);

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

  /** Leaves the row as an attempt that died `agoMs` before the test clock left it. */
  async function leaveClaimed(owner: string, agoMs: number, sendStarted: boolean) {
    const now = testNow - agoMs;
    await claimLease(store.db, action, { owner, now, leaseMs: defaultLeaseMs, messageId });
    if (sendStarted) markSendStarted(store, key, owner, now + 1);
  }

  it('throws retryably while another attempt holds it', async () => {
    await leaveClaimed('live', 0, true);
    await expect(deliverEmail(deps, action)).rejects.toMatchObject({
      type: 'OutboxLeaseHeld',
      nonRetryable: false,
    });
  });

  it('asks for the retry once the lease expires', async () => {
    await leaveClaimed('live', 0, true);
    const failure = await deliverEmail(deps, action).catch((error: unknown) => error);
    expect(failure).toMatchObject({ nextRetryDelay: defaultLeaseMs + 500 });
  });

  it('sends nothing while another attempt holds it', async () => {
    await leaveClaimed('live', 0, true);
    await deliverEmail(deps, action).catch(() => undefined);
    expect(smtp.received).toHaveLength(0);
  });

  it('resends an interrupted send after expiry', async () => {
    await leaveClaimed('dead', 2 * defaultLeaseMs, true);
    expect((await deliverEmail(deps, action)).status).toBe('sent');
    expect(smtp.received).toHaveLength(1);
  });

  it('does not resend a handed-over message', async () => {
    await leaveClaimed('dead', 2 * defaultLeaseMs, true);
    markHandedOver(store, key, 'dead', testNow - 2 * defaultLeaseMs + 2);
    expect((await deliverEmail(deps, action)).status).toBe('duplicate');
    expect(smtp.received).toHaveLength(0);
  });

  it('records a handed-over message as sent', async () => {
    await leaveClaimed('dead', 2 * defaultLeaseMs, true);
    markHandedOver(store, key, 'dead', testNow - 2 * defaultLeaseMs + 2);
    await deliverEmail(deps, action);
    const row = await getOutboxRow(store.db, key);
    expect(row.status).toBe('sent');
    expect(row.reason).toMatch(/reply was not seen/);
  });

  it('marks a live send as handed over', async () => {
    await deliverEmail(deps, action);
    expect((await getOutboxRow(store.db, key)).handed_over_at).toBe(testNow);
  });

  it('counts the takeover as an attempt', async () => {
    await leaveClaimed('dead', 2 * defaultLeaseMs, true);
    await deliverEmail(deps, action);
    expect((await getOutboxRow(store.db, key)).attempts).toBe(2);
  });

  it('records a send this process saw accepted', async () => {
    await leaveClaimed('crashed', 2 * defaultLeaseMs, true);
    const message = { from: 'a@vendor.test', to: 'ada@northwind.test', text: 'x', messageId };
    await transport.send(key, message, { starting: () => true, accepted: () => undefined });
    expect((await deliverEmail(deps, action)).status).toBe('duplicate');
    expect(smtp.received).toHaveLength(1);
    expect((await getOutboxRow(store.db, key)).status).toBe('sent');
  });

  it('frees the lease when building fails', async () => {
    const failing = { ...deps, loadFacts: () => Promise.reject(new Error('store offline')) };
    await expect(deliverEmail(failing, action)).rejects.toThrow('store offline');
    expect((await getOutboxRow(store.db, key)).lease_owner).toBeNull();
  });

  it('keeps one message in flight', async () => {
    const recipients = ['u-ada', 'u-bob'];
    const results = await Promise.all(
      recipients.map((recipient) => deliverEmail(deps, plannedAction('email', { recipient }))),
    );
    expect(results.map((result) => result.status)).toEqual(['sent', 'sent']);
    expect(smtp.connections()).toBe(1);
  });
});

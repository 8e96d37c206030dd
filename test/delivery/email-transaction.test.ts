import type { DeliveryDeps } from '../../src/delivery/config';
import { deliverEmail } from '../../src/delivery/email';
import { createMailTransport, type MailTransport } from '../../src/delivery/mail-transport';
import { getOutboxRow } from '../../src/delivery/outbox';
import type { Store } from '../../src/store/database';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp';
import { createDeps, createTestStore, plannedAction } from './helpers/store';

// Other work (an API import, a notice) may keep a transaction open on the store's connection
// while an email goes out. The sync marks of the send must not become part of it.
describe('deliverEmail beside an open transaction', () => {
  let smtp: TestSmtpServer;
  let store: Store;
  let cleanup: () => Promise<void>;
  let transport: MailTransport;
  let deps: DeliveryDeps;
  let otherWork: Promise<void> = Promise.resolve();
  let rolledBackAt = 0;
  let dataEndAt = 0;
  const action = plannedAction('email');

  beforeEach(async () => {
    smtp = await startSmtpServer({
      // The relay has accepted DATA: the other work opens its transaction now and rolls it back
      // 200 ms later, while the message's data is being written.
      onDataStart: () => {
        otherWork = rollBackAfter(store, 200).then((at) => void (rolledBackAt = at));
      },
      onDataEnd: () => void (dataEndAt = Date.now()),
    });
    ({ store, cleanup } = await createTestStore());
    transport = createMailTransport({ smtpUrl: smtp.url, outboxDir: '/nonexistent' });
    deps = createDeps(store, transport);
    await deliverEmail(deps, action);
    await otherWork;
  });

  afterEach(async () => {
    transport.close();
    await smtp.close();
    await cleanup();
  });

  it('keeps the sent mark after the rollback', async () => {
    expect((await getOutboxRow(store.db, action.idempotencyKey)).status).toBe('sent');
  });

  it('ends the data after the transaction', () => {
    expect(dataEndAt).toBeGreaterThanOrEqual(rolledBackAt);
  });

  it('delivers the message once', () => {
    expect(smtp.received).toHaveLength(1);
  });
});

/** Opens a transaction, keeps it open for `ms`, then rolls it back; resolves with the instant. */
async function rollBackAfter(store: Store, ms: number): Promise<number> {
  try {
    await store.db.transaction().execute(async (trx) => {
      await trx.selectFrom('outbox').select('idempotency_key').execute();
      await new Promise((done) => setTimeout(done, ms));
      throw new Error('other work failed');
    });
  } catch {
    // The rollback is the point of this work.
  }
  return Date.now();
}

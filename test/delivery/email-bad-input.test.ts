import type { DeliveryResult } from '../../src/actions/types';
import { deliverEmail } from '../../src/delivery/email';
import { createMailTransport, type MailTransport } from '../../src/delivery/mail-transport';
import { getOutboxRow } from '../../src/delivery/outbox';
import type { Store } from '../../src/store/database';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp';
import { createDeps, createTestStore, plannedAction } from './helpers/store';

describe('deliverEmail bad input', () => {
  let smtp: TestSmtpServer;
  let store: Store;
  let cleanup: () => Promise<void>;
  let transport: MailTransport;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    ({ store, cleanup } = await createTestStore());
    transport = createMailTransport({ smtpUrl: smtp.url, outboxDir: '/nonexistent' });
  });

  afterAll(async () => {
    transport.close();
    await smtp.close();
    await cleanup();
  });

  const cases: [string, string, RegExp][] = [
    ['address with a comma', 'u-comma', /invalid email address "a@x.test,b@y.test"/],
    ['address with angle brackets', 'u-angle', /invalid email address "Eve <eve@x.test>"/],
    ['two addresses', 'u-two', /invalid email address "a@x.test b@y.test"/],
    ['display name with CR/LF', 'u-crlf', /display name with a line break/],
    ['recipient without email', 'u-noemail', /has no email address/],
    ['unknown recipient', 'u-ghost', /user u-ghost not found in account acc-1/],
  ];

  describe.each(cases)('%s', (_label, userId, reason) => {
    const action = plannedAction('email', { recipient: userId });
    let result: DeliveryResult;

    beforeAll(async () => {
      result = await deliverEmail(createDeps(store, transport), action);
    });

    it('returns failed with the reason', () => {
      expect(result.status).toBe('failed');
      expect(result.reason).toMatch(reason);
    });

    it('records the reason in the outbox', async () => {
      const row = await getOutboxRow(store.db, action.idempotencyKey);
      expect(row.status).toBe('failed');
      expect(row.reason).toMatch(reason);
    });

    it('sends nothing', () => {
      expect(smtp.received).toHaveLength(0);
    });
  });

  it('rejects the wrong channel without retry', async () => {
    const notice = plannedAction('notice', { idempotencyKey: 'wrong-channel' });
    await expect(deliverEmail(createDeps(store, transport), notice)).rejects.toMatchObject({
      nonRetryable: true,
    });
  });
});

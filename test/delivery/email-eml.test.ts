import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { DeliveryDeps } from '../../src/delivery/config';
import { deliverEmail } from '../../src/delivery/email';
import { createMailTransport, emlFileName } from '../../src/delivery/mail-transport';
import { getOutboxRow } from '../../src/delivery/outbox';
import type { Store } from '../../src/store/database';
import { createDeps, createTestStore, plannedAction } from './helpers/store';

describe('deliverEmail to the .eml outbox', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  let deps: DeliveryDeps;
  let outboxDir: string;

  beforeEach(async () => {
    ({ store, dir, cleanup } = await createTestStore());
    outboxDir = join(dir, 'outbox');
    deps = createDeps(store, createMailTransport({ outboxDir }));
  });

  afterEach(async () => {
    deps.transport.close();
    await cleanup();
  });

  it('writes one file named by the key', async () => {
    const action = plannedAction('email');
    await deliverEmail(deps, action);
    expect(readdirSync(outboxDir)).toEqual([emlFileName(action.idempotencyKey)]);
  });

  it('writes a parseable message', async () => {
    const action = plannedAction('email');
    await deliverEmail(deps, action);
    const mail = await simpleParser(
      readFileSync(join(outboxDir, emlFileName(action.idempotencyKey))),
    );
    expect(mail.subject).toBe('2 features Northwind has not tried yet');
    expect(mail.to).toMatchObject({ value: [{ address: 'ada@northwind.test' }] });
    expect(mail.text).toContain('Scheduled reports');
  });

  it('writes once for the same key', async () => {
    const action = plannedAction('email');
    await deliverEmail(deps, action);
    const second = await deliverEmail(deps, action);
    expect(second.status).toBe('duplicate');
    expect(readdirSync(outboxDir)).toHaveLength(1);
  });

  it('detects a crash between write and mark', async () => {
    const action = plannedAction('email');
    await deliverEmail(deps, action);
    // As if the process died after writing the file and before marking the row sent.
    await store.db.updateTable('outbox').set({ status: 'pending', sent_at: null }).execute();

    const retry = await deliverEmail(deps, action);
    expect(retry).toMatchObject({ status: 'duplicate', reason: 'sent by an earlier attempt' });
    expect(readdirSync(outboxDir)).toHaveLength(1);
    expect((await getOutboxRow(store.db, action.idempotencyKey)).status).toBe('sent');
  });

  it('keeps distinct keys apart', () => {
    expect(emlFileName('a:b')).not.toBe(emlFileName('a/b'));
  });
});

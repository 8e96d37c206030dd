import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliveryDeps } from '../../src/delivery/config';
import { createMailTransport } from '../../src/delivery/mail-transport';
import { getOutboxRow } from '../../src/delivery/outbox';
import { claimLease } from '../../src/delivery/outbox-lease';
import { deliverWebhook, verifyWebhookSignature } from '../../src/delivery/webhook';
import type { Store } from '../../src/store/database';
import { createDeps, createTestStore, plannedAction, testConfig } from './helpers/store';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('deliverWebhook', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  let deps: DeliveryDeps;
  let server: Server;
  let url: string;
  let received: Received[];
  let statuses: number[];

  beforeEach(async () => {
    ({ store, dir, cleanup } = await createTestStore());
    // Signatures are checked against the real clock by the receiver below.
    deps = { ...createDeps(store, createMailTransport({ outboxDir: dir })), now: () => Date.now() };
    received = [];
    statuses = [];
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.statusCode = statuses.shift() ?? 200;
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await cleanup();
  });

  const webhook = () =>
    plannedAction('webhook', { idempotencyKey: 'w1', recipient: url, template: undefined });

  it('posts a signed JSON body', async () => {
    expect((await deliverWebhook(deps, webhook())).status).toBe('sent');
    const [request] = received;
    const valid = verifyWebhookSignature(
      {
        body: request?.body ?? '',
        timestamp: String(request?.headers['x-uptake-timestamp']),
        signature: String(request?.headers['x-uptake-signature']),
      },
      testConfig.webhookSecret,
    );
    expect(valid).toBe(true);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({
      idempotencyKey: 'w1',
      accountId: 'acc-1',
    });
  });

  it('rejects a tampered body', async () => {
    await deliverWebhook(deps, webhook());
    const [request] = received;
    const valid = verifyWebhookSignature(
      {
        body: `${request?.body ?? ''} `,
        timestamp: String(request?.headers['x-uptake-timestamp']),
        signature: String(request?.headers['x-uptake-signature']),
      },
      testConfig.webhookSecret,
    );
    expect(valid).toBe(false);
  });

  it('retries on 5xx until success', async () => {
    statuses = [503, 500];
    expect((await deliverWebhook(deps, webhook())).status).toBe('sent');
    expect(received).toHaveLength(3);
    const attempts = await store.db
      .selectFrom('webhook_deliveries')
      .select('status_code')
      .orderBy('attempt')
      .execute();
    expect(attempts.map((a) => a.status_code)).toEqual([503, 500, 200]);
  });

  it('gives up after the bounded attempts', async () => {
    statuses = [500, 500, 500, 500];
    const result = await deliverWebhook(deps, webhook());
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^HTTP 500 \(after 3 attempts at most\)$/);
    expect(received).toHaveLength(3);
  });

  describe('with activity attempts left', () => {
    const early = { attempt: 1, final: false };

    it('throws for a later attempt', async () => {
      statuses = [500, 500, 500];
      await expect(deliverWebhook(deps, webhook(), early)).rejects.toMatchObject({
        type: 'WebhookTransientError',
      });
    });

    it('frees the row for that attempt', async () => {
      statuses = [500, 500, 500];
      await deliverWebhook(deps, webhook(), early).catch(() => undefined);
      const row = await getOutboxRow(store.db, 'w1');
      expect(row).toMatchObject({ status: 'pending', lease_owner: null });
    });

    it('posts on the next attempt', async () => {
      statuses = [500, 500, 500];
      await deliverWebhook(deps, webhook(), early).catch(() => undefined);
      const result = await deliverWebhook(deps, webhook(), { attempt: 2, final: false });
      expect(result.status).toBe('sent');
    });

    it('fails a 4xx at once', async () => {
      statuses = [404];
      expect((await deliverWebhook(deps, webhook(), early)).status).toBe('failed');
    });

    it('fails on the last attempt', async () => {
      statuses = [500, 500, 500];
      const result = await deliverWebhook(deps, webhook(), { attempt: 30, final: true });
      expect(result.status).toBe('failed');
    });
  });

  it('does not retry a 4xx', async () => {
    statuses = [400];
    expect((await deliverWebhook(deps, webhook())).status).toBe('failed');
    expect(received).toHaveLength(1);
  });

  it('retries a network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const action = plannedAction('webhook', {
      idempotencyKey: 'w2',
      recipient: `http://127.0.0.1:${port}/`,
    });
    const result = await deliverWebhook(deps, action);
    expect(result.status).toBe('failed');
    const attempts = await store.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('idempotency_key', '=', 'w2')
      .execute();
    expect(attempts).toHaveLength(3);
  });

  it('posts once for the same key', async () => {
    await deliverWebhook(deps, webhook());
    expect((await deliverWebhook(deps, webhook())).status).toBe('duplicate');
    expect(received).toHaveLength(1);
  });

  it('waits while another attempt holds the lease', async () => {
    const request = { owner: 'live', now: Date.now(), leaseMs: 60_000, messageId: null };
    await claimLease(store.db, webhook(), request);
    await expect(deliverWebhook(deps, webhook())).rejects.toMatchObject({
      type: 'OutboxLeaseHeld',
    });
    expect(received).toHaveLength(0);
  });

  it('fails on a URL that is not http', async () => {
    const action = plannedAction('webhook', {
      idempotencyKey: 'w3',
      recipient: 'file:///etc/passwd',
    });
    expect((await deliverWebhook(deps, action)).status).toBe('failed');
    expect((await getOutboxRow(store.db, 'w3')).reason).toMatch(/must use http or https/);
  });
});

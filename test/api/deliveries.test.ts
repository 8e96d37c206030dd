import type { PlannedAction } from '../../src/actions/types';
import { claimOutbox, finishOutbox } from '../../src/delivery/outbox';
import { createAccountStateReader } from '../../src/service/account-state';
import { createTestApi, seedAccount, send, type TestApi } from './helpers';

const day = Date.parse('2026-12-01T00:00:00Z');

function action(key: string, type: PlannedAction['type'], recipient: string): PlannedAction {
  return {
    idempotencyKey: key,
    accountId: 'acme',
    ruleId: `rule-${key}`,
    ruleSetVersion: 'v1',
    type,
    params: {},
    recipient,
    evidence: {},
    notBefore: day,
  };
}

/** Claims and finishes one outbox row the way the delivery channels do. */
async function deliver(
  api: TestApi,
  planned: PlannedAction,
  at: number,
  outcome: { status: 'sent' | 'failed' | 'skipped'; reason?: string } | undefined,
): Promise<void> {
  await claimOutbox(api.store.db, planned, { messageId: null, now: at });
  if (outcome)
    await finishOutbox(api.store.db, planned.idempotencyKey, outcome.status, {
      ...outcome,
      now: at,
    });
}

describe('delivery outcomes', () => {
  let api: TestApi;
  const nomail = action('k-nomail', 'email', 'u-nomail');
  const hook = action('k-hook', 'webhook', 'http://127.0.0.1:9/hook');
  const task = action('k-task', 'task', 'csm-1');
  const pending = action('k-pending', 'notice', 'u1');
  const queued = action('k-queued', 'email', 'u2');

  beforeAll(async () => {
    api = await createTestApi((store) => ({ readAccountState: createAccountStateReader(store) }));
    await seedAccount(api);
    await deliver(api, nomail, day + 1000, {
      status: 'skipped',
      reason: 'user u-nomail has no email address',
    });
    await deliver(api, hook, day + 2000, {
      status: 'failed',
      reason: 'HTTP 503 Service Unavailable',
    });
    await deliver(api, task, day + 3000, { status: 'sent' });
    await deliver(api, pending, day + 4000, undefined);
    await api.store.db
      .insertInto('checks')
      .values({
        workflow_id: 'account-acme',
        check_number: 1,
        account_id: 'acme',
        checked_at: day,
        stage: 'onboarding',
        rule_set_version: 'v1',
        fired: '[]',
        not_fired: '[]',
        held: '[]',
        planned: JSON.stringify([nomail, hook, task, queued]),
        transition: null,
      })
      .execute();
  });
  afterAll(() => api.close());

  it('joins planned actions with the outbox', async () => {
    const response = await send(api, 'GET', '/v1/accounts/acme');
    expect(response.statusCode).toBe(200);
    const planned = response.json().decisions[0].explanation.planned;
    expect(planned[0].delivery.status).toBe('skipped');
    expect(planned[0].delivery.reason).toBe('user u-nomail has no email address');
    expect(planned[1].delivery.status).toBe('failed');
    expect(planned[1].delivery.reason).toBe('HTTP 503 Service Unavailable');
    expect(planned[2].delivery.sentAt).toBe(day + 3000);
    expect(planned[3].delivery).toBeNull();
  });

  it('lists deliveries newest first', async () => {
    const response = await send(api, 'GET', '/v1/accounts/acme/deliveries');
    expect(response.statusCode).toBe(200);
    const keys = response
      .json()
      .deliveries.map((row: { idempotencyKey: string }) => row.idempotencyKey);
    expect(keys).toEqual(['k-pending', 'k-task', 'k-hook', 'k-nomail']);
  });

  it('filters deliveries by status', async () => {
    const response = await send(api, 'GET', '/v1/accounts/acme/deliveries?status=failed');
    const rows = response.json().deliveries;
    expect(rows).toHaveLength(1);
    expect(rows[0].idempotencyKey).toBe('k-hook');
    expect(rows[0].attempts).toBe(1);
  });

  it('dates a failed delivery', async () => {
    const response = await send(api, 'GET', '/v1/accounts/acme/deliveries?status=failed');
    expect(response.json().deliveries[0].finishedAt).toBe(day + 2000);
  });

  it('leaves a pending delivery undated', async () => {
    const response = await send(api, 'GET', '/v1/accounts/acme/deliveries?status=pending');
    expect(response.json().deliveries[0].finishedAt).toBeNull();
  });

  it('limits the number of rows', async () => {
    const response = await send(api, 'GET', '/v1/accounts/acme/deliveries?limit=2');
    expect(response.json().deliveries).toHaveLength(2);
  });

  it('rejects an unknown status', async () => {
    const response = await send(api, 'GET', '/v1/accounts/acme/deliveries?status=lost');
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('querystring.status');
  });

  it('answers 404 for an unknown account', async () => {
    const response = await send(api, 'GET', '/v1/accounts/ghost/deliveries');
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toContain('account "ghost" not found');
  });

  it('documents the route in OpenAPI', async () => {
    const paths = (await send(api, 'GET', '/openapi.json')).json().paths;
    const route = paths['/v1/accounts/{accountId}/deliveries'];
    expect(route.get.responses['200']).toBeDefined();
  });
});

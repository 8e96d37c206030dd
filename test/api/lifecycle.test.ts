import { Client, Connection } from '@temporalio/client';
import { createLifecycleControl } from '../../src/service/lifecycle-control';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startAccountWorker, startDevServer, waitUntil } from '../service/dev-server-worker';
import { freePort } from '../service/free-port';
import { seedYearAccount } from '../workflows/helpers/account-store';
import { createTestApi, send, type Answer, type TestApi } from './helpers';

const taskQueue = 'api-lifecycle';

/** Reads GET /lifecycle until `accept` holds, so a test waits for the workflow to apply a signal. */
async function waitForState(
  api: TestApi,
  accountId: string,
  accept: (body: Record<string, unknown>) => boolean,
): Promise<Answer> {
  let answer: Answer | undefined;
  await waitUntil(async () => {
    answer = await send(api, 'GET', `/v1/accounts/${accountId}/lifecycle`);
    return answer.statusCode === 200 && accept(answer.json());
  });
  return answer as Answer;
}

describe('lifecycle routes on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let api: TestApi;
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    env = await startDevServer();
    api = await createTestApi({
      lifecycle: createLifecycleControl(env.client, {
        address: env.address,
        taskQueue,
        startMissing: true,
        source: 'a test',
      }),
    });
    await seedYearAccount(api.store, 'acme', Date.now());
    await seedYearAccount(api.store, 'umbrella', Date.now());
    stopWorker = await startAccountWorker(env, api.store, taskQueue);
  });

  afterAll(async () => {
    await stopWorker?.();
    await api?.close();
    await env?.teardown();
  });

  it('returns 404 before the workflow starts', async () => {
    const answer = await send(api, 'GET', '/v1/accounts/acme/lifecycle');
    expect(answer.statusCode).toBe(404);
    expect(answer.json().message).toContain('no lifecycle workflow runs for account "acme"');
    expect(answer.json().message).toContain('PUT /v1/accounts');
  });

  it('pauses the workflow', async () => {
    const answer = await send(api, 'POST', '/v1/accounts/acme/pause');
    expect(answer.statusCode).toBe(202);
    expect(answer.json().workflowId).toBe('account-acme');
    const state = (await waitForState(api, 'acme', (body) => body.paused === true)).json();
    expect(state.stage).toBe('onboarding');
    expect(state.nextCheckAt).toBeNull();
    expect(state.checkNumber).toBe(0);
  });

  it('resumes and checks the account', async () => {
    const answer = await send(api, 'POST', '/v1/accounts/acme/resume');
    expect(answer.statusCode).toBe(202);
    const state = (
      await waitForState(api, 'acme', (body) => body.paused === false && body.checkNumber === 1)
    ).json();
    expect(state.nextCheckAt).toBeGreaterThan(Date.now());
    expect(state.renewalAt).toBeGreaterThan(Date.now());
    expect(state.recentDecisions).toHaveLength(1);
    expect(state.recentDecisions[0].firedRuleIds).toContain('welcome');
  });

  it('rechecks the account at once', async () => {
    const answer = await send(api, 'POST', '/v1/accounts/acme/recheck');
    expect(answer.statusCode).toBe(202);
    const state = await waitForState(api, 'acme', (body) => body.checkNumber === 2);
    expect(state.json().recentDecisions).toHaveLength(2);
  });

  it('rejects an unknown account', async () => {
    const answer = await send(api, 'POST', '/v1/accounts/ghost/pause');
    expect(answer.statusCode).toBe(404);
    expect(answer.json().message).toContain('account "ghost" not found');
  });

  it('requires the bearer token', async () => {
    const response = await fetch(`${api.url}/v1/accounts/acme/pause`, { method: 'POST' });
    expect(response.status).toBe(401);
  });

  it('lists actions waiting for quiet hours', async () => {
    const quietQueue = `${taskQueue}-quiet`;
    const hour = new Date().getUTCHours();
    // Quiet from the current hour for three hours, in the users' zone (UTC).
    const quietHours = { startHour: hour, endHour: (hour + 3) % 24 };
    const stopQuiet = await startAccountWorker(env, api.store, quietQueue, { quietHours });
    const quietApi = await createTestApi({
      lifecycle: createLifecycleControl(env.client, {
        address: env.address,
        taskQueue: quietQueue,
        startMissing: true,
        source: 'a test',
      }),
      store: api.store,
    });
    try {
      await send(quietApi, 'POST', '/v1/accounts/umbrella/recheck');
      const state = (
        await waitForState(quietApi, 'umbrella', (body) => body.checkNumber === 1)
      ).json();
      expect(state.pendingActions).toBe(2);
      expect(state.waiting).toHaveLength(2);
      expect(state.waiting[0].wait).toContain('quiet hours');
      expect(state.recentDecisions[0].waits).toHaveLength(2);
      expect(state.recentDecisions[0].waits[0].reason).toContain('quiet hours');
    } finally {
      await quietApi.close();
      await stopQuiet();
    }
  });

  it('documents the routes in OpenAPI', async () => {
    const paths = (await send(api, 'GET', '/openapi.json')).json().paths;
    expect(paths['/v1/accounts/{accountId}/pause']).toBeDefined();
    expect(paths['/v1/accounts/{accountId}/resume']).toBeDefined();
    expect(paths['/v1/accounts/{accountId}/recheck']).toBeDefined();
    expect(paths['/v1/accounts/{accountId}/lifecycle'].get.responses['200']).toBeDefined();
  });
});

describe('lifecycle routes without Temporal', () => {
  let api: TestApi;
  let connection: Connection;
  let address: string;

  beforeAll(async () => {
    address = `127.0.0.1:${await freePort()}`;
    connection = Connection.lazy({ address });
    const client = new Client({ connection });
    api = await createTestApi({
      lifecycle: createLifecycleControl(client, {
        address,
        taskQueue,
        startMissing: true,
        source: 'a test',
        timeoutMs: 2_000,
      }),
    });
    await seedYearAccount(api.store, 'acme', Date.now());
  });

  afterAll(async () => {
    await api?.close();
    await connection?.close();
  });

  it('answers 503 naming the address', async () => {
    const answer = await send(api, 'POST', '/v1/accounts/acme/pause');
    expect(answer.statusCode).toBe(503);
    expect(answer.json().message).toContain(address);
    expect(answer.json().message).toContain('TEMPORAL_ADDRESS');
  });

  it('answers 503 to the state query', async () => {
    const answer = await send(api, 'GET', '/v1/accounts/acme/lifecycle');
    expect(answer.statusCode).toBe(503);
    expect(answer.json().message).toContain(address);
  });
});

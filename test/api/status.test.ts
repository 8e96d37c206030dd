import { createAccountStateReader } from '../../src/service/account-state';
import { countRows, createTestApi, request, seedAccount, send, type TestApi } from './helpers';

describe('bearer auth', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(() => api.close());

  it('rejects a missing token', async () => {
    const response = await request(api, 'POST', '/v1/events', {
      body: { events: [] },
      headers: { authorization: '' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().field).toBe('authorization');
  });

  it('rejects a wrong token and writes nothing', async () => {
    const response = await request(api, 'PUT', '/v1/accounts', {
      body: { accounts: [{ id: 'a', name: 'A' }] },
      headers: { authorization: 'Bearer wrong-token' },
    });
    expect(response.statusCode).toBe(401);
    expect(await countRows(api.store, 'accounts')).toBe(0);
  });

  it('guards metrics', async () => {
    const response = await request(api, 'GET', '/metrics', { headers: { authorization: '' } });
    expect(response.statusCode).toBe(401);
  });

  it('leaves health open', async () => {
    const response = await request(api, 'GET', '/health', { headers: { authorization: '' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers an unknown route with JSON', async () => {
    const response = await send(api, 'GET', '/v1/nothing');
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toBe('no route GET /v1/nothing');
  });
});

describe('metrics and OpenAPI', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(() => api.close());

  it('serves Prometheus text', async () => {
    await send(api, 'GET', '/health');
    const response = await send(api, 'GET', '/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('uptake_http_request_duration_seconds_bucket');
    expect(response.body).toContain('route="/health"');
  });

  it('documents every route', async () => {
    const response = await request(api, 'GET', '/openapi.json', { headers: { authorization: '' } });
    const paths = Object.keys(response.json().paths);
    expect(response.json().openapi).toMatch(/^3\./);
    for (const path of [
      '/v1/events',
      '/v1/accounts',
      '/v1/users',
      '/v1/contracts',
      '/v1/tickets',
      '/v1/feedback',
      '/v1/milestones/completions',
      '/v1/goals/met',
      '/v1/accounts/{accountId}',
      '/v1/users/{userId}/notices',
      '/v1/tasks',
      '/v1/unsubscribe',
      '/health',
    ]) {
      expect(paths).toContain(path);
    }
  });
});

describe('GET /v1/accounts/:accountId', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi((store) => ({ readAccountState: createAccountStateReader(store) }));
    await seedAccount(api);
  });
  afterAll(() => api.close());

  it('returns stage and signals', async () => {
    await send(api, 'POST', '/v1/events', {
      events: [
        {
          id: 'e1',
          accountId: 'acme',
          userId: 'u1',
          feature: 'reports',
          occurredAt: '2026-12-01T10:00:00Z',
        },
      ],
    });
    const response = await send(api, 'GET', '/v1/accounts/acme?asOf=2026-12-02T00:00:00Z');
    expect(response.statusCode).toBe(200);
    expect(response.json().stage).toBe('onboarding');
    expect(response.json().signals.activeDaysLast7).toBe(1);
    expect(response.json().decisions).toEqual([]);
  });

  it('returns recorded decisions', async () => {
    await api.store.db
      .insertInto('checks')
      .values({
        workflow_id: 'account-acme',
        check_number: 1,
        account_id: 'acme',
        checked_at: Date.parse('2026-12-01T00:00:00Z'),
        stage: 'onboarding',
        rule_set_version: 'v1',
        fired: JSON.stringify([{ ruleId: 'key-features-never-used' }]),
        not_fired: '[]',
        held: JSON.stringify([{ ruleId: 'x', reason: 'cooldown' }]),
        planned: '[]',
        transition: null,
      })
      .execute();
    const response = await send(api, 'GET', '/v1/accounts/acme');
    const [decision] = response.json().decisions;
    expect(decision.fired).toEqual([{ ruleId: 'key-features-never-used' }]);
    expect(decision.held).toEqual([{ ruleId: 'x', reason: 'cooldown' }]);
    expect(decision.ruleSetVersion).toBe('v1');
  });

  it('answers 404 for an unknown account', async () => {
    const response = await send(api, 'GET', '/v1/accounts/ghost');
    expect(response.statusCode).toBe(404);
    expect(response.json().field).toBe('accountId');
  });

  it('rejects an asOf before the account existed', async () => {
    const response = await send(api, 'GET', '/v1/accounts/acme?asOf=2001-01-01T00:00:00Z');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/did not exist on 2001-01-01/);
  });

  it('rejects a bad asOf', async () => {
    const response = await send(api, 'GET', '/v1/accounts/acme?asOf=tomorrow');
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('querystring.asOf');
  });
});

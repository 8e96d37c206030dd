import { countRows, createTestApi, request, seedAccount, send, type TestApi } from './helpers';

const hourMs = 3_600_000;

function event(occurredAt: string) {
  return { id: 'e1', accountId: 'acme', userId: 'u1', feature: 'reports', occurredAt };
}

describe('request checks', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await createTestApi();
    await seedAccount(api);
  });
  afterEach(() => api.close());

  it('rejects a far-future event', async () => {
    const response = await send(api, 'POST', '/v1/events', {
      events: [event('9999-12-31T00:00:00Z')],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('events[0].occurredAt');
    expect(response.json().message).toContain('ahead of the server clock');
    expect(await countRows(api.store, 'usage_events')).toBe(0);
  });

  it('accepts an event an hour ahead', async () => {
    const soon = new Date(Date.now() + hourMs).toISOString();
    const response = await send(api, 'POST', '/v1/events', { events: [event(soon)] });
    expect(response.statusCode).toBe(200);
  });

  it('rejects a __proto__ key by name', async () => {
    const response = await request(api, 'PUT', '/v1/accounts', {
      body: '{"accounts":[{"id":"x","name":"X","__proto__":{"admin":true}}]}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('accounts[0].__proto__');
    expect(response.json().message).toContain('"__proto__" is not allowed');
    expect(response.json().message).not.toContain('not valid JSON');
  });

  it('rejects text/plain with 415', async () => {
    const response = await request(api, 'POST', '/v1/events', {
      body: JSON.stringify({ events: [event('2026-11-30T10:00:00Z')] }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().message).toContain('application/json');
    expect(response.json().message).toContain('text/plain');
  });

  it('accepts JSON with a charset', async () => {
    const response = await request(api, 'POST', '/v1/events', {
      body: JSON.stringify({ events: [event('2026-11-30T10:00:00Z')] }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(response.statusCode).toBe(200);
  });
});

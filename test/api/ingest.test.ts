import { countRows, createTestApi, request, seedAccount, send, type TestApi } from './helpers';

function events(count: number, prefix = 'e') {
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}${index}`,
    accountId: 'acme',
    userId: index % 2 === 0 ? 'u1' : 'u2',
    feature: index % 3 === 0 ? null : 'reports',
    occurredAt: '2026-11-30T10:00:00Z',
  }));
}

describe('POST /v1/events', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await createTestApi();
    await seedAccount(api);
  });
  afterEach(() => api.close());

  it('stores a batch', async () => {
    const response = await send(api, 'POST', '/v1/events', { events: events(10) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ accepted: 10, duplicates: 0 });
    expect(await countRows(api.store, 'usage_events')).toBe(10);
  });

  it('counts a resent batch as duplicates', async () => {
    await send(api, 'POST', '/v1/events', { events: events(10) });
    const response = await send(api, 'POST', '/v1/events', { events: events(10) });
    expect(response.json()).toEqual({ accepted: 0, duplicates: 10 });
    expect(await countRows(api.store, 'usage_events')).toBe(10);
  });

  it('accepts epoch milliseconds and dates', async () => {
    const batch = [
      { id: 'ms', accountId: 'acme', occurredAt: Date.parse('2026-11-01T00:00:00Z') },
      { id: 'day', accountId: 'acme', occurredAt: '2026-11-02' },
    ];
    const response = await send(api, 'POST', '/v1/events', { events: batch });
    expect(response.statusCode).toBe(200);
    const stored = await api.store.db
      .selectFrom('usage_events')
      .select('occurred_at')
      .orderBy('event_id')
      .execute();
    expect(stored.map((row) => row.occurred_at)).toEqual([
      Date.parse('2026-11-02T00:00:00Z'),
      Date.parse('2026-11-01T00:00:00Z'),
    ]);
  });

  it('rejects a wrong type naming the field', async () => {
    const batch = events(3);
    const response = await send(api, 'POST', '/v1/events', {
      events: [...batch, { ...batch[0], id: 'bad', occurredAt: 'yesterday' }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('events[3].occurredAt');
    expect(await countRows(api.store, 'usage_events')).toBe(0);
  });

  it('rejects a missing field', async () => {
    const response = await send(api, 'POST', '/v1/events', {
      events: [{ id: 'x', occurredAt: '2026-11-30T10:00:00Z' }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('events[0].accountId');
  });

  it('rejects an unknown field', async () => {
    const response = await send(api, 'POST', '/v1/events', {
      events: [{ ...events(1)[0], colour: 'red' }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('events[0]');
  });

  it('rejects an oversized batch', async () => {
    const response = await send(api, 'POST', '/v1/events', { events: events(101) });
    expect(response.statusCode).toBe(413);
    expect(response.json().field).toBe('events');
    expect(await countRows(api.store, 'usage_events')).toBe(0);
  });

  it('rejects an empty batch', async () => {
    const response = await send(api, 'POST', '/v1/events', { events: [] });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('events');
  });

  it('rejects an unknown account and writes nothing', async () => {
    const batch = events(5);
    batch[4] = { ...batch[4]!, accountId: 'nobody' };
    const response = await send(api, 'POST', '/v1/events', { events: batch });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('events[4].accountId');
    expect(await countRows(api.store, 'usage_events')).toBe(0);
  });

  it("rejects another account's user", async () => {
    await send(api, 'PUT', '/v1/accounts', { accounts: [{ id: 'globex', name: 'Globex' }] });
    const batch = events(3);
    batch[2] = { ...batch[2]!, accountId: 'globex', userId: 'u1' };
    const response = await send(api, 'POST', '/v1/events', { events: batch });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('events[2].userId');
    expect(response.json().message).toContain('user "u1" belongs to account "acme"');
    expect(response.json().message).toContain('set accountId to "acme"');
    expect(await countRows(api.store, 'usage_events')).toBe(0);
  });

  it('rejects an unknown feature', async () => {
    const response = await send(api, 'POST', '/v1/events', {
      events: [{ ...events(1)[0], feature: 'teleport' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('events[0].feature');
  });

  it('rejects malformed JSON', async () => {
    const response = await request(api, 'POST', '/v1/events', {
      body: '{"events": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('body');
    expect(response.body).not.toContain('    at ');
  });

  it('rejects a body over the byte limit', async () => {
    const small = await createTestApi({}, { maxBodyBytes: 2048 });
    const response = await send(small, 'POST', '/v1/events', { events: events(50) });
    await small.close();
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toContain('larger than the limit of 2048 bytes');
    expect(response.json().message).toContain('raise UPTAKE_MAX_BODY_BYTES');
  });

  it('names the date format', async () => {
    const response = await send(api, 'PUT', '/v1/accounts', {
      accounts: [{ id: 'a1', name: 'One', createdAt: '2024-02-30' }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('accounts[0].createdAt');
    expect(response.json().message).toContain('expected ISO 8601 such as 2026-03-01T09:00:00Z');
  });

  it('counts ingested events in metrics', async () => {
    await send(api, 'POST', '/v1/events', { events: events(4) });
    await send(api, 'POST', '/v1/events', { events: events(4) });
    const text = await api.metrics.registry.metrics();
    expect(text).toContain('uptake_ingested_items_total{kind="events",result="accepted"} 4');
    expect(text).toContain('uptake_ingested_items_total{kind="events",result="duplicate"} 4');
  });
});

describe('upsert routes', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await createTestApi();
  });
  afterEach(() => api.close());

  it('starts workflows for upserted accounts', async () => {
    const response = await send(api, 'PUT', '/v1/accounts', {
      accounts: [
        { id: 'a1', name: 'One' },
        { id: 'a2', name: 'Two' },
      ],
    });
    expect(response.json()).toEqual({ accepted: 2 });
    expect(api.calls.accountsUpserted).toEqual([['a1', 'a2']]);
  });

  it('rejects an invalid time zone', async () => {
    const response = await send(api, 'PUT', '/v1/accounts', {
      accounts: [{ id: 'a1', name: 'One', timezone: 'Mars/Olympus' }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('accounts[0].timezone');
    expect(await countRows(api.store, 'accounts')).toBe(0);
  });

  /** Builds attributes `levels` deep, counting the attributes object itself. */
  const nested = (levels: number) => {
    let value: unknown = 'leaf';
    for (let level = 1; level < levels; level += 1) value = [value];
    return { a: value };
  };

  it('rejects deeply nested attributes', async () => {
    // Written as text, because JSON.stringify itself overflows the stack at this depth.
    const deep = `${'['.repeat(4_999)}"leaf"${']'.repeat(4_999)}`;
    const response = await request(api, 'PUT', '/v1/accounts', {
      body: `{"accounts":[{"id":"a1","name":"One","attributes":{"a":${deep}}}]}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('accounts[0].attributes');
    expect(response.json().message).toContain('nested more than 32 levels deep');
    expect(await countRows(api.store, 'accounts')).toBe(0);
  });

  it('accepts attributes 32 levels deep', async () => {
    const accepted = await send(api, 'PUT', '/v1/accounts', {
      accounts: [{ id: 'a1', name: 'One', attributes: nested(32) }],
    });
    expect(accepted.statusCode).toBe(200);
    const rejected = await send(api, 'PUT', '/v1/accounts', {
      accounts: [{ id: 'a2', name: 'Two', attributes: nested(33) }],
    });
    expect(rejected.statusCode).toBe(400);
  });

  it('rejects users of an unknown account', async () => {
    await seedAccount(api);
    const response = await send(api, 'POST', '/v1/users', {
      users: [
        { id: 'u3', accountId: 'acme' },
        { id: 'u4', accountId: 'ghost' },
      ],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('users[1].accountId');
    expect(await countRows(api.store, 'users')).toBe(2);
  });

  it('signals workflows on contract changes', async () => {
    await seedAccount(api);
    const response = await send(api, 'PUT', '/v1/contracts', {
      contracts: [
        {
          id: 'c1',
          accountId: 'acme',
          termNumber: 1,
          startAt: '2026-01-01',
          renewalAt: '2027-01-01',
          seats: 10,
        },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(api.calls.contractsChanged).toEqual([['acme']]);
  });

  it('rejects a contract with a negative term', async () => {
    await seedAccount(api);
    const response = await send(api, 'PUT', '/v1/contracts', {
      contracts: [
        {
          id: 'c1',
          accountId: 'acme',
          termNumber: 0,
          startAt: '2026-01-01',
          renewalAt: '2027-01-01',
        },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('contracts[0].termNumber');
  });

  it('stores tickets', async () => {
    await seedAccount(api);
    const response = await send(api, 'PUT', '/v1/tickets', {
      tickets: [
        {
          id: 't1',
          accountId: 'acme',
          userId: 'u1',
          openedAt: '2026-11-20T08:00:00Z',
          priority: 'high',
        },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(await countRows(api.store, 'tickets')).toBe(1);
  });

  it('rejects a ticket from an unknown user', async () => {
    await seedAccount(api);
    const response = await send(api, 'PUT', '/v1/tickets', {
      tickets: [{ id: 't1', accountId: 'acme', userId: 'zed', openedAt: '2026-11-20T08:00:00Z' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('tickets[0].userId');
  });

  it("rejects a ticket from another account's user", async () => {
    await seedAccount(api);
    await send(api, 'PUT', '/v1/accounts', { accounts: [{ id: 'globex', name: 'Globex' }] });
    const response = await send(api, 'PUT', '/v1/tickets', {
      tickets: [{ id: 't1', accountId: 'globex', userId: 'u1', openedAt: '2026-11-20T08:00:00Z' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('tickets[0].userId');
    expect(await countRows(api.store, 'tickets')).toBe(0);
  });

  it('records milestone completions and signals', async () => {
    await seedAccount(api);
    await send(api, 'PUT', '/v1/milestones', {
      milestones: [{ accountId: 'acme', key: 'setup', name: 'Set up', dueAt: '2026-12-10' }],
    });
    const response = await send(api, 'POST', '/v1/milestones/completions', {
      completions: [{ accountId: 'acme', key: 'setup', completedAt: '2026-12-02T12:00:00Z' }],
    });
    expect(response.statusCode).toBe(200);
    expect(api.calls.milestonesCompleted).toHaveLength(1);
    const row = await api.store.db
      .selectFrom('milestones')
      .select('completed_at')
      .executeTakeFirstOrThrow();
    expect(row.completed_at).toBe(Date.parse('2026-12-02T12:00:00Z'));
  });

  it('rejects completion of an unknown milestone', async () => {
    await seedAccount(api);
    const response = await send(api, 'POST', '/v1/milestones/completions', {
      completions: [{ accountId: 'acme', key: 'nope', completedAt: '2026-12-02T12:00:00Z' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('completions[0].key');
  });

  it('records goals met', async () => {
    await seedAccount(api);
    await send(api, 'PUT', '/v1/goals', {
      goals: [{ accountId: 'acme', key: 'first-report', name: 'First report' }],
    });
    const response = await send(api, 'POST', '/v1/goals/met', {
      goals: [{ accountId: 'acme', key: 'first-report', metAt: '2026-12-03T09:00:00Z' }],
    });
    expect(response.statusCode).toBe(200);
    const row = await api.store.db.selectFrom('goals').select('met_at').executeTakeFirstOrThrow();
    expect(row.met_at).toBe(Date.parse('2026-12-03T09:00:00Z'));
  });

  it('rejects an unknown goal', async () => {
    await seedAccount(api);
    const response = await send(api, 'POST', '/v1/goals/met', {
      goals: [{ accountId: 'acme', key: 'nope', metAt: '2026-12-03T09:00:00Z' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('goals[0].key');
  });
});

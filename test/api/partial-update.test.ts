import { createTestApi, send, type TestApi } from './helpers';

const globex = {
  id: 'acct-002',
  name: 'Globex Corporation',
  plan: 'enterprise',
  csmOwner: 'csm-7',
  csmEmail: 'csm-7@uptake.test',
  timezone: 'America/Chicago',
  attributes: { industry: 'energy' },
};

function readAccount(api: TestApi, id: string) {
  return api.store.db
    .selectFrom('accounts')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

describe('partial upserts', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await createTestApi();
    const seeded = await send(api, 'PUT', '/v1/accounts', { accounts: [globex] });
    expect(seeded.statusCode).toBe(200);
  });
  afterEach(() => api.close());

  it('keeps fields left out of an account', async () => {
    const response = await send(api, 'POST', '/v1/accounts', {
      accounts: [{ id: 'acct-002', name: 'Globex' }],
    });
    expect(response.statusCode).toBe(200);
    const stored = await readAccount(api, 'acct-002');
    expect(stored.name).toBe('Globex');
    expect(stored.csm_owner).toBe('csm-7');
    expect(stored.csm_email).toBe('csm-7@uptake.test');
    expect(stored.plan).toBe('enterprise');
    expect(stored.timezone).toBe('America/Chicago');
    expect(JSON.parse(stored.attributes)).toEqual({ industry: 'energy' });
  });

  it('clears a field sent as null', async () => {
    await send(api, 'PUT', '/v1/accounts', {
      accounts: [{ id: 'acct-002', name: 'Globex', csmOwner: null }],
    });
    const stored = await readAccount(api, 'acct-002');
    expect(stored.csm_owner).toBeNull();
    expect(stored.csm_email).toBe('csm-7@uptake.test');
  });

  it('gives a new account the defaults', async () => {
    await send(api, 'POST', '/v1/accounts', { accounts: [{ id: 'acct-003', name: 'Initech' }] });
    const stored = await readAccount(api, 'acct-003');
    expect(stored.plan).toBeNull();
    expect(stored.csm_owner).toBeNull();
    expect(stored.csm_email).toBeNull();
    expect(stored.timezone).toBe('UTC');
    expect(stored.attributes).toBe('{}');
    expect(stored.stage).toBe('onboarding');
  });

  it('merges repeated ids in one batch', async () => {
    await send(api, 'POST', '/v1/accounts', {
      accounts: [
        { id: 'acct-002', name: 'Globex', plan: 'starter' },
        { id: 'acct-002', name: 'Globex Inc', timezone: 'Asia/Tokyo' },
      ],
    });
    const stored = await readAccount(api, 'acct-002');
    expect(stored.name).toBe('Globex Inc');
    expect(stored.plan).toBe('starter');
    expect(stored.timezone).toBe('Asia/Tokyo');
    expect(stored.csm_owner).toBe('csm-7');
  });

  it('stores nothing from a rejected batch', async () => {
    const response = await send(api, 'POST', '/v1/accounts', {
      accounts: [
        { id: 'acct-002', name: 'Renamed', plan: null },
        { id: 'acct-004', name: 'Bad zone', timezone: 'Mars/Olympus' },
      ],
    });
    expect(response.statusCode).toBe(400);
    const stored = await readAccount(api, 'acct-002');
    expect(stored.name).toBe('Globex Corporation');
    expect(stored.plan).toBe('enterprise');
  });

  it('updates an account without its name', async () => {
    const response = await send(api, 'PUT', '/v1/accounts', {
      accounts: [{ id: 'acct-002', timezone: 'UTC' }],
    });
    expect(response.statusCode).toBe(200);
    const stored = await readAccount(api, 'acct-002');
    expect(stored.timezone).toBe('UTC');
    expect(stored.name).toBe('Globex Corporation');
  });

  it('requires a name for a new account', async () => {
    const response = await send(api, 'PUT', '/v1/accounts', {
      accounts: [globex, { id: 'acct-005', timezone: 'UTC' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('accounts[1].name');
  });

  it('records a contract outcome alone', async () => {
    const term = { id: 'c-1', accountId: 'acct-002', termNumber: 1 };
    await send(api, 'PUT', '/v1/contracts', {
      contracts: [{ ...term, startAt: '2026-01-01', renewalAt: '2027-01-01' }],
    });
    const response = await send(api, 'PUT', '/v1/contracts', {
      contracts: [{ id: 'c-1', accountId: 'acct-002', outcome: 'renewed' }],
    });
    expect(response.statusCode).toBe(200);
    const stored = await api.store.db
      .selectFrom('contracts')
      .selectAll()
      .where('id', '=', 'c-1')
      .executeTakeFirstOrThrow();
    expect(stored.outcome).toBe('renewed');
    expect(stored.renewal_at).toBe(Date.parse('2027-01-01T00:00:00Z'));
  });

  it('requires dates for a new contract', async () => {
    const response = await send(api, 'PUT', '/v1/contracts', {
      contracts: [{ id: 'c-2', accountId: 'acct-002', termNumber: 1 }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('contracts[0].startAt');
  });

  it('rejects a ticket closed before it opened', async () => {
    const response = await send(api, 'PUT', '/v1/tickets', {
      tickets: [
        { id: 't-1', accountId: 'acct-002', openedAt: '2026-03-02', closedAt: '2026-03-01' },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('tickets[0].closedAt');
  });

  it('keeps fields left out of a user', async () => {
    await send(api, 'PUT', '/v1/users', {
      users: [
        {
          id: 'u-9',
          accountId: 'acct-002',
          email: 'hank@globex.test',
          name: 'Hank Scorpio',
          role: 'admin',
          timezone: 'America/Chicago',
        },
      ],
    });
    const response = await send(api, 'POST', '/v1/users', {
      users: [{ id: 'u-9', accountId: 'acct-002', name: 'Hank' }],
    });
    expect(response.statusCode).toBe(200);
    const stored = await api.store.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', 'u-9')
      .executeTakeFirstOrThrow();
    expect(stored.name).toBe('Hank');
    expect(stored.email).toBe('hank@globex.test');
    expect(stored.role).toBe('admin');
    expect(stored.timezone).toBe('America/Chicago');
  });

  it('keeps a milestone due date left out', async () => {
    const milestone = { accountId: 'acct-002', key: 'kickoff', name: 'Kickoff call' };
    await send(api, 'PUT', '/v1/milestones', {
      milestones: [{ ...milestone, dueAt: '2026-12-15' }],
    });
    await send(api, 'POST', '/v1/milestones', {
      milestones: [{ ...milestone, name: 'Kickoff' }],
    });
    const stored = await api.store.db
      .selectFrom('milestones')
      .selectAll()
      .where('key', '=', 'kickoff')
      .executeTakeFirstOrThrow();
    expect(stored.name).toBe('Kickoff');
    expect(stored.due_at).toBe(Date.parse('2026-12-15T00:00:00Z'));
  });
});

describe('upsert route docs', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await createTestApi();
  });
  afterEach(() => api.close());

  it('documents partial updates', async () => {
    const spec = (await send(api, 'GET', '/openapi.json')).json();
    for (const name of [
      'accounts',
      'users',
      'contracts',
      'features',
      'tickets',
      'milestones',
      'goals',
    ]) {
      expect(spec.paths[`/v1/${name}`].post.description).toContain(
        'fields left out keep their stored value',
      );
    }
  });
});

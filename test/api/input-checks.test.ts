import { countRows, createTestApi, seedAccount, send, type TestApi } from './helpers';

const term = { id: 'c-1', accountId: 'acme', termNumber: 1 };

describe('input checks', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await createTestApi();
    await seedAccount(api);
  });
  afterEach(() => api.close());

  it('rejects a renewal before the start', async () => {
    const response = await send(api, 'PUT', '/v1/contracts', {
      contracts: [{ ...term, startAt: '2026-06-01', renewalAt: '2026-01-01' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('contracts[0].renewalAt');
    expect(response.json().message).toContain('is before startAt 2026-06-01T00:00:00.000Z');
    expect(response.json().message).toContain("send a renewalAt after the term's start");
    expect(await countRows(api.store, 'contracts')).toBe(0);
  });

  it('rejects a partial update moving the renewal', async () => {
    await send(api, 'PUT', '/v1/contracts', {
      contracts: [{ ...term, startAt: '2026-06-01', renewalAt: '2027-06-01' }],
    });
    const response = await send(api, 'PUT', '/v1/contracts', {
      contracts: [{ id: 'c-1', accountId: 'acme', renewalAt: '2026-05-01' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('contracts[0].renewalAt');
    const stored = await api.store.db
      .selectFrom('contracts')
      .select('renewal_at')
      .executeTakeFirstOrThrow();
    expect(stored.renewal_at).toBe(Date.parse('2027-06-01T00:00:00Z'));
  });

  it('rejects a partial update moving the start', async () => {
    await send(api, 'PUT', '/v1/contracts', {
      contracts: [{ ...term, startAt: '2026-06-01', renewalAt: '2027-06-01' }],
    });
    const response = await send(api, 'PUT', '/v1/contracts', {
      contracts: [{ id: 'c-1', accountId: 'acme', startAt: '2028-01-01' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('contracts[0].renewalAt');
  });

  it('accepts a renewal after the start', async () => {
    const response = await send(api, 'PUT', '/v1/contracts', {
      contracts: [{ ...term, startAt: '2026-06-01', renewalAt: '2027-06-01' }],
    });
    expect(response.statusCode).toBe(200);
  });

  it.each([
    ['a line feed', 'Acme\nBcc: x@evil.test'],
    ['a carriage return', 'Acme\rInc'],
    ['a tab', 'Acme\tInc'],
    ['DEL', 'Acme\u007f'],
  ])('rejects an account name with %s', async (_case, name) => {
    const response = await send(api, 'PUT', '/v1/accounts', { accounts: [{ id: 'evil', name }] });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('accounts[0].name');
    expect(response.json().message).toContain('control characters');
    expect(await countRows(api.store, 'accounts')).toBe(1);
  });

  it.each([
    ['a tab', 'Ana\tBo'],
    ['BEL', 'Ana\u0007'],
  ])('rejects a user name with %s', async (_case, name) => {
    const users = [{ id: 'u-evil', accountId: 'acme', name }];
    const response = await send(api, 'PUT', '/v1/users', { users });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('users[0].name');
  });

  it('shows how to wrap a bare array', async () => {
    const response = await send(api, 'PUT', '/v1/accounts', [{ id: 'x', name: 'X' }]);
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('body');
    expect(response.json().message).toContain('wrap the items as {"accounts": [...]}');
  });

  it('names an unknown account of a completion', async () => {
    const response = await send(api, 'POST', '/v1/milestones/completions', {
      completions: [{ accountId: 'ghost', key: 'setup', completedAt: '2026-12-01T00:00:00Z' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('completions[0].accountId');
    expect(response.json().message).toContain('account "ghost" not found');
  });

  it('names an unknown account of a goal', async () => {
    const response = await send(api, 'POST', '/v1/goals/met', {
      goals: [{ accountId: 'ghost', key: 'first-value', metAt: '2026-12-01T00:00:00Z' }],
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().field).toBe('goals[0].accountId');
  });

  it('gives an example of a valid email', async () => {
    const response = await send(api, 'PUT', '/v1/users', {
      users: [{ id: 'u9', accountId: 'acme', email: 'not-an-address' }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('users[0].email');
    expect(response.json().message).toContain('such as ana@example.com');
  });
});

import { createAccountStateReader } from '../../src/service/account-state';
import { createTestApi, seedAccount, send, type TestApi } from './helpers';

// The account's workflow moved it to adoption at a check that a signal triggered, which the
// replay of scheduled checks cannot see.
describe('account stage after a signal-driven check', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await createTestApi((store) => ({ readAccountState: createAccountStateReader(store) }));
    await seedAccount(api);
    const checkedAt = Date.now() - 60_000;
    await api.store.db.updateTable('accounts').set({ stage: 'adoption' }).execute();
    await api.store.db
      .insertInto('checks')
      .values({
        workflow_id: 'account-acme',
        check_number: 1,
        account_id: 'acme',
        checked_at: checkedAt,
        stage: 'onboarding',
        rule_set_version: 'v1',
        fired: '[]',
        not_fired: '[]',
        held: '[]',
        planned: '[]',
        transition: JSON.stringify({ from: 'onboarding', to: 'adoption', reason: 'recheck' }),
      })
      .execute();
  });

  afterAll(() => api.close());

  it('gives the signals the stored stage', async () => {
    const body = (await send(api, 'GET', '/v1/accounts/acme')).json();
    expect(body.signals.stage).toBe(body.stage);
  });
});

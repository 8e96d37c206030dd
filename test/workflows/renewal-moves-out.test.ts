import { ensureAccountWorkflow } from '../../src/temporal/client';
import { stateQuery } from '../../workflows/lifecycle-signals';
import { dayMs, seedYearAccount } from './helpers/account-store';
import {
  openLifecycleEnvironment,
  type LifecycleEnvironment,
} from './helpers/lifecycle-environment';
import { expectNoCheckWithinMargin } from './helpers/time-skipping';

const taskQueue = 'lifecycle-renewal-moves-out';

describe('renewal date moved out', () => {
  let lifecycle: LifecycleEnvironment;

  beforeAll(async () => {
    lifecycle = await openLifecycleEnvironment(taskQueue);
  });

  afterAll(async () => {
    await lifecycle?.teardown();
  });

  it('returns the account to adoption', async () => {
    const { env, temp, worker, skip } = lifecycle;
    const start = await env.currentTimeMs();
    await seedYearAccount(temp.store, 'ext', start);
    const extendedRenewal = start + 565.5 * dayMs;

    const views = await worker.runUntil(async () => {
      const handle = await ensureAccountWorkflow(env.client, 'ext', { taskQueue });
      // The window opens on day 275 and checks then run daily at whole days.
      await skip(280.5 * dayMs);
      const before = await handle.query(stateQuery);
      expectNoCheckWithinMargin(before, await env.currentTimeMs());

      await temp.store.db
        .updateTable('contracts')
        .set({ renewal_at: extendedRenewal })
        .where('id', '=', 'ext-t1')
        .execute();
      await handle.signal('contractChanged', {
        id: 'extend-1',
        termNumber: 1,
        renewalAt: extendedRenewal,
      });
      await skip(3_600_000);
      const after = await handle.query(stateQuery);
      return { before, after };
    });

    const last = views.after.recentDecisions.at(-1);
    expect(views.before.stage).toBe('renewal');
    expect(views.after.stage).toBe('adoption');
    expect(last?.transition?.from).toBe('renewal');
    expect(last?.transition?.reason).toMatch(/^renewal date \d{4}-\d{2}-\d{2} is 284 days away/);
  });
});

import { ensureAccountWorkflow } from '../../src/temporal/client';
import { stateQuery } from '../../workflows/lifecycle-signals';
import { dayMs, seedYearAccount } from './helpers/account-store';
import {
  openLifecycleEnvironment,
  type LifecycleEnvironment,
} from './helpers/lifecycle-environment';
import { expectNoCheckWithinMargin } from './helpers/time-skipping';

const hourMs = 3_600_000;

describe('signals without payload', () => {
  let lifecycle: LifecycleEnvironment;

  beforeAll(async () => {
    lifecycle = await openLifecycleEnvironment('lifecycle-signal-payloads');
  });

  afterAll(async () => {
    await lifecycle?.teardown();
  });

  it('act or are dropped without failing', async () => {
    const { env, temp, worker, skip } = lifecycle;
    const start = await env.currentTimeMs();
    await seedYearAccount(temp.store, 'eps', start);

    const result = await worker.runUntil(async () => {
      const handle = await ensureAccountWorkflow(env.client, 'eps', {
        taskQueue: 'lifecycle-signal-payloads',
      });
      // Checks run daily from the start, so signals sent half a day after one stay clear of the next.
      await skip(2.5 * dayMs);
      const before = await handle.query(stateQuery);
      expectNoCheckWithinMargin(before, await env.currentTimeMs());

      await handle.signal('pause');
      await skip(hourMs);
      const paused = await handle.query(stateQuery);

      await handle.signal<[null]>('resume', null);
      await handle.signal('recheck');
      await skip(hourMs);
      const rechecked = await handle.query(stateQuery);
      expectNoCheckWithinMargin(rechecked, await env.currentTimeMs());

      await handle.signal('contractChanged');
      await handle.signal<[null]>('milestoneCompleted', null);
      await handle.signal<[unknown]>('contractChanged', { renewalAt: 'soon' });
      await skip(hourMs);
      const afterInvalid = await handle.query(stateQuery);

      await skip(dayMs);
      const later = await handle.query(stateQuery);
      const history = await handle.fetchHistory();
      return { before, paused, rechecked, afterInvalid, later, history };
    });

    expect(result.paused.paused).toBe(true);
    expect(result.rechecked.paused).toBe(false);
    expect(result.rechecked.checkNumber).toBe(result.before.checkNumber + 1);
    expect(result.afterInvalid.checkNumber).toBe(result.rechecked.checkNumber);
    expect(result.afterInvalid.renewalAt).toBe(result.rechecked.renewalAt);
    expect(result.later.checkNumber).toBe(result.rechecked.checkNumber + 1);
    const failedTasks = (result.history.events ?? []).filter(
      (event) => event.workflowTaskFailedEventAttributes,
    );
    expect(failedTasks).toHaveLength(0);
  });
});

import { ensureAccountWorkflow } from '../../src/temporal/client';
import { chainIdOf } from '../../workflows/lifecycle-run';
import { dayMs, seedYearAccount } from './helpers/account-store';
import {
  openLifecycleEnvironment,
  type LifecycleEnvironment,
} from './helpers/lifecycle-environment';

const taskQueue = 'lifecycle-run-chains';

/** Returns the chain id part of workflowId:chainId:checkNumber:ruleId:recipient. */
function chainOfKey(key: string): string | undefined {
  return key.split(':')[1];
}

describe('run chains', () => {
  let lifecycle: LifecycleEnvironment;

  beforeAll(async () => {
    lifecycle = await openLifecycleEnvironment(taskQueue);
  });

  afterAll(async () => {
    await lifecycle?.teardown();
  });

  it('use their own idempotency keys', async () => {
    const { env, temp, worker, skip, deliveries } = lifecycle;
    const start = await env.currentTimeMs();
    await seedYearAccount(temp.store, 'kc', start);

    const runIds = await worker.runUntil(async () => {
      // One check per run, so every check after the first follows a continue-as-new.
      const first = await ensureAccountWorkflow(env.client, 'kc', {
        taskQueue,
        input: { maxChecksPerRun: 1 },
      });
      const firstRunId = (await first.describe()).runId;
      await skip(10.5 * dayMs);
      const continued = (await first.describe()).runId;
      await first.terminate('restart the account');

      const second = await ensureAccountWorkflow(env.client, 'kc', { taskQueue });
      const secondRunId = (await second.describe()).runId;
      await skip(0.5 * dayMs);
      return { firstRunId, continued, secondRunId };
    });

    const firstChain = chainIdOf(runIds.firstRunId);
    const secondChain = chainIdOf(runIds.secondRunId);
    const keysOf = (ruleId: string): string[] =>
      deliveries
        .filter((delivery) => delivery.action.ruleId === ruleId)
        .map((delivery) => delivery.action.idempotencyKey);
    const [welcome1, welcome2, welcome3, welcome4] = keysOf('welcome');
    const [overdue] = keysOf('milestone-overdue');

    expect(runIds.continued).not.toBe(runIds.firstRunId);
    expect(keysOf('welcome')).toHaveLength(4);
    expect(chainOfKey(welcome1 ?? '')).toBe(firstChain);
    expect(chainOfKey(welcome2 ?? '')).toBe(firstChain);
    expect(chainOfKey(overdue ?? '')).toBe(firstChain);
    expect(chainOfKey(welcome3 ?? '')).toBe(secondChain);
    expect(chainOfKey(welcome4 ?? '')).toBe(secondChain);
    expect(secondChain).not.toBe(firstChain);
  });
});

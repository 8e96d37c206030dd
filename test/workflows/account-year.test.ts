import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { collectRuns } from './helpers/histories';
import { accountWorkflowId, ensureAccountWorkflow } from '../../src/temporal/client';
import { ephemeralServerExecutable } from '../../src/temporal/binaries';
import { createWorker } from '../../src/temporal/worker';
import { bundleWorkflows } from './helpers/bundle';
import { stateQuery } from '../../workflows/lifecycle-signals';
import { expectNoCheckWithinMargin } from './helpers/time-skipping';
import {
  dayMs,
  openTempStore,
  renewContract,
  seedYearAccount,
  type TempStore,
} from './helpers/account-store';
import { createRecordingDelivery } from './helpers/recording-delivery';
import { installQuietRuntime } from './helpers/runtime';
import { loadRuleEngine } from './helpers/rule-folders';

const taskQueue = 'lifecycle-year';

describe('account lifecycle over a year', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let temp: TempStore;

  beforeAll(async () => {
    installQuietRuntime();
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: ephemeralServerExecutable('temporal-test-server') },
    });
    bundle = await bundleWorkflows();
    temp = await openTempStore();
  });

  afterAll(async () => {
    await temp?.cleanup();
    await env?.teardown();
  });

  it('acts on the expected days', async () => {
    const recording = createRecordingDelivery();
    const worker = await createWorker({
      connection: env.nativeConnection,
      store: temp.store,
      taskQueue,
      rules: loadRuleEngine(),
      delivery: recording.activities,
      policy: { quietHours: null },
      workflowBundle: bundle,
    });
    const start = await env.currentTimeMs();
    await seedYearAccount(temp.store, 'acme', start);

    const view = await worker.runUntil(async () => {
      const handle = await ensureAccountWorkflow(env.client, 'acme', { taskQueue });
      const firstRunId = (await handle.describe()).runId;
      // Half a day past a daily check, so the signal below cannot meet a firing check timer.
      await env.sleep(360.5 * dayMs);
      const before = await handle.query(stateQuery);
      expectNoCheckWithinMargin(before, await env.currentTimeMs());

      await renewContract(temp.store, 'acme', start);
      await handle.signal('contractChanged', { id: 'renewal-1', termNumber: 1 });
      // The renewal is signed on day 360.5 and takes effect on the renewal date, day 365.5. The
      // signal runs a check at once, so daily checks fall at half days and the check on day 365.5 is
      // the first of term 2.
      await env.sleep(7 * dayMs);
      const after = await handle.query(stateQuery);
      const described = await env.client.workflow.getHandle(accountWorkflowId('acme')).describe();
      const runs = await collectRuns(env, handle.workflowId);
      return { before, after, firstRunId, runId: described.runId, runs };
    });

    const day = (at: number): number => Math.floor((at - start) / dayMs);
    const byRule = (ruleId: string): number[] =>
      recording.deliveries
        .filter((delivery) => delivery.action.ruleId === ruleId)
        .map((delivery) => day(delivery.action.notBefore));

    expect(byRule('welcome')).toEqual([0, 0]);
    expect(byRule('milestone-overdue')).toEqual([10]);
    expect(byRule('renewal-prep')).toEqual([305]);
    expect(view.before.stage).toBe('renewal');
    expect(view.after.stage).toBe('adoption');
    expect(view.after.termNumber).toBe(2);
    expect(view.runId).not.toBe(view.firstRunId);

    const replays = Worker.runReplayHistories({ workflowBundle: bundle }, view.runs);
    for await (const replay of replays) expect(replay.error).toBeUndefined();

    const transitions = await temp.store.db
      .selectFrom('checks')
      .select(['transition', 'checked_at'])
      .where('account_id', '=', 'acme')
      .where('transition', 'is not', null)
      .orderBy('check_number')
      .execute();
    const dayOfTransition = (to: string): number | undefined => {
      const row = transitions.find((check) => JSON.parse(check.transition ?? '{}').to === to);
      return row ? day(row.checked_at) : undefined;
    };
    expect(dayOfTransition('adoption')).toBe(25);
    expect(dayOfTransition('renewal')).toBe(275);
    expect(dayOfTransition('renewed')).toBe(365);
  });
});

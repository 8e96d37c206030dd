import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ephemeralServerExecutable } from '../../src/temporal/binaries';
import { ensureAccountWorkflow } from '../../src/temporal/client';
import { createWorker } from '../../src/temporal/worker';
import { stateQuery } from '../../workflows/lifecycle-signals';
import { openTempStore, seedYearAccount, type TempStore } from './helpers/account-store';
import { bundleWorkflows } from './helpers/bundle';
import { createRecordingDelivery } from './helpers/recording-delivery';
import { installQuietRuntime } from './helpers/runtime';
import { loadRuleEngine } from './helpers/rule-folders';

const taskQueue = 'lifecycle-quiet-hours';
const hourMs = 3_600_000;

describe('quiet hours in the workflow', () => {
  let env: TestWorkflowEnvironment;
  let temp: TempStore;

  beforeAll(async () => {
    installQuietRuntime();
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: ephemeralServerExecutable('temporal-test-server') },
    });
    temp = await openTempStore();
  });

  afterAll(async () => {
    await temp?.cleanup();
    await env?.teardown();
  });

  it('holds emails until quiet hours end', async () => {
    const start = await env.currentTimeMs();
    const hour = new Date(start).getUTCHours();
    // Quiet from the current hour for three hours, in the users' zone (UTC).
    const quietHours = { startHour: hour, endHour: (hour + 3) % 24 };
    const recording = createRecordingDelivery();
    const worker = await createWorker({
      connection: env.nativeConnection,
      store: temp.store,
      taskQueue,
      rules: loadRuleEngine(),
      delivery: recording.activities,
      policy: { quietHours },
      workflowBundle: await bundleWorkflows(),
    });
    await seedYearAccount(temp.store, 'umbrella', start);

    const result = await worker.runUntil(async () => {
      const handle = await ensureAccountWorkflow(env.client, 'umbrella', { taskQueue });
      await env.sleep(hourMs);
      const waiting = await handle.query(stateQuery);
      const deliveredWhileQuiet = recording.deliveries.length;
      await env.sleep(3 * hourMs);
      return { waiting, deliveredWhileQuiet };
    });

    const quietEnds = Math.floor(start / hourMs) * hourMs + 3 * hourMs;
    expect(result.waiting.pendingActions).toBe(2);
    expect(result.deliveredWhileQuiet).toBe(0);
    expect(recording.deliveries).toHaveLength(2);
    expect(recording.deliveries[0]?.action.notBefore).toBe(quietEnds);
    const waits = result.waiting.recentDecisions[0]?.waits ?? [];
    expect(waits).toHaveLength(2);
    expect(waits[0]?.reason).toBe(
      `quiet hours in UTC until ${new Date(quietEnds).toISOString().slice(0, 19)}+00:00`,
    );
  });
});

import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { ephemeralServerExecutable } from '../../../src/temporal/binaries';
import { createWorker } from '../../../src/temporal/worker';
import { openTempStore, type TempStore } from './account-store';
import { bundleWorkflows } from './bundle';
import { createRecordingDelivery, type RecordedDelivery } from './recording-delivery';
import { installQuietRuntime } from './runtime';
import { loadRuleEngine } from './rule-folders';
import { withinTimeout } from './time-skipping';

/** A time-skipping server, a temporary store and a worker with recording delivery. */
export interface LifecycleEnvironment {
  env: TestWorkflowEnvironment;
  temp: TempStore;
  worker: Worker;
  deliveries: RecordedDelivery[];
  /** Skips workflow time, rejecting after 30 s of real time if the server stops advancing. */
  skip(ms: number): Promise<void>;
  teardown(): Promise<void>;
}

/** Starts the environment of one test file; quiet hours are off so that actions go out at once. */
export async function openLifecycleEnvironment(taskQueue: string): Promise<LifecycleEnvironment> {
  installQuietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: ephemeralServerExecutable('temporal-test-server') },
  });
  const temp = await openTempStore();
  const recording = createRecordingDelivery();
  const worker = await createWorker({
    connection: env.nativeConnection,
    store: temp.store,
    taskQueue,
    rules: loadRuleEngine(),
    delivery: recording.activities,
    policy: { quietHours: null },
    workflowBundle: await bundleWorkflows(),
  });
  return {
    env,
    temp,
    worker,
    deliveries: recording.deliveries,
    skip: (ms) => withinTimeout(`env.sleep(${ms} ms)`, 30_000, env.sleep(ms)),
    teardown: async () => {
      await temp.cleanup();
      await env.teardown();
    },
  };
}

import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ephemeralServerExecutable } from '../../src/temporal/binaries';
import { createWorker } from '../../src/temporal/worker';
import type { DecisionPolicy } from '../../src/lifecycle/types';
import type { Store } from '../../src/store/database';
import { bundleWorkflows } from '../workflows/helpers/bundle';
import { createRecordingDelivery } from '../workflows/helpers/recording-delivery';
import { loadRuleEngine } from '../workflows/helpers/rule-folders';
import { installQuietRuntime } from '../workflows/helpers/runtime';

/** Starts a Temporal dev server on a free loopback port, in memory. */
export async function startDevServer(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: { executable: ephemeralServerExecutable('temporal') },
  });
}

/**
 * Runs a worker for the account workflows on `taskQueue` over `store`, with
 * the workflow test rules and recording delivery, so checks run but nothing
 * is sent. `policy` overrides decision settings such as quiet hours.
 * Resolves with the function that stops it.
 */
export async function startAccountWorker(
  env: TestWorkflowEnvironment,
  store: Store,
  taskQueue: string,
  policy?: Partial<DecisionPolicy>,
): Promise<() => Promise<void>> {
  const worker = await createWorker({
    connection: env.nativeConnection,
    store,
    taskQueue,
    ...(policy ? { policy } : {}),
    rules: loadRuleEngine(),
    delivery: createRecordingDelivery().activities,
    workflowBundle: await bundleWorkflows(),
  });
  const running = worker.run();
  return async () => {
    worker.shutdown();
    await running;
  };
}

/** Polls `check` every 200 ms until it returns true, failing after 30 s. */
export async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in 30 s');
    await new Promise((done) => setTimeout(done, 200));
  }
}

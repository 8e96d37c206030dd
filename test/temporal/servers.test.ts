import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ephemeralServerExecutable } from '../../src/temporal/binaries';
import * as probeActivities from './fixtures/probe-activities';
import { greetAccount, sleepDays } from './fixtures/probe-workflows';

const workflowsPath = require.resolve('./fixtures/probe-workflows');
const dayMs = 24 * 60 * 60 * 1000;

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: ephemeralServerExecutable('temporal-test-server') },
    });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a 30-day sleep in seconds', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'probe-time-skipping',
      workflowsPath,
      activities: probeActivities,
    });
    const startedAt = process.hrtime.bigint();

    const slept = await worker.runUntil(
      env.client.workflow.execute(sleepDays, {
        args: [30],
        taskQueue: 'probe-time-skipping',
        workflowId: 'probe-sleep-30-days',
      }),
    );

    const wallSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    expect(slept).toBeGreaterThanOrEqual(30 * dayMs);
    expect(wallSeconds).toBeLessThan(60);
  });
});

describe('dev server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: ephemeralServerExecutable('temporal') },
    });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('completes a workflow with an activity', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'probe-dev-server',
      workflowsPath,
      activities: probeActivities,
    });

    const greeting = await worker.runUntil(
      env.client.workflow.execute(greetAccount, {
        args: ['acme'],
        taskQueue: 'probe-dev-server',
        workflowId: 'probe-greet-acme',
      }),
    );

    expect(greeting).toBe(`hello acme from pid ${process.pid}`);
  });
});

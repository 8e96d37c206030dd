import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { bundleWorkflows } from './helpers/bundle';
import { installQuietRuntime } from './helpers/runtime';

// A run of account-globex with checks, a moved renewal date, pause and
// resume signals; re-record it with UPDATE_HISTORIES=1 on the continue-as-new
// test only when a workflow change is meant to be incompatible.
const recordedHistoryPath = join(__dirname, 'histories', 'account-lifecycle.history.pb');

describe('recorded history', () => {
  let bundle: WorkflowBundle;

  beforeAll(async () => {
    installQuietRuntime();
    bundle = await bundleWorkflows();
  });

  it('has checks to replay', () => {
    const history = temporal.api.history.v1.History.decode(readFileSync(recordedHistoryPath));
    const checks = history.events.filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'checkAccount',
    );
    expect(checks.length).toBeGreaterThan(0);
  });

  it('replays without non-determinism', async () => {
    const history = temporal.api.history.v1.History.decode(readFileSync(recordedHistoryPath));
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle }, history, 'account-globex'),
    ).resolves.toBeUndefined();
  });
});

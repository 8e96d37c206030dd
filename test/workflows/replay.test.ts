import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { bundleWorkflows } from './helpers/bundle';
import { installQuietRuntime } from './helpers/runtime';

describe('recorded history', () => {
  let bundle: WorkflowBundle;

  beforeAll(async () => {
    installQuietRuntime();
    bundle = await bundleWorkflows();
  });

  it('replays without non-determinism', async () => {
    const text = readFileSync(join(__dirname, 'histories', 'account-lifecycle.json'), 'utf8');
    const history = historyFromJSON(JSON.parse(text));
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle }, history, 'account-globex'),
    ).resolves.toBeUndefined();
  });
});

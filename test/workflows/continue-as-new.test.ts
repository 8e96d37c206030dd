import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import { ephemeralServerExecutable, findTemporalBinary } from '../../src/temporal/binaries';
import { ensureAccountWorkflow } from '../../src/temporal/client';
import { createWorker } from '../../src/temporal/worker';
import { stateQuery } from '../../workflows/lifecycle-signals';
import { dayMs, openTempStore, seedYearAccount, type TempStore } from './helpers/account-store';
import { bundleWorkflows } from './helpers/bundle';
import { createRecordingDelivery } from './helpers/recording-delivery';
import { installQuietRuntime } from './helpers/runtime';
import { loadRuleEngine } from './helpers/rule-folders';

const taskQueue = 'lifecycle-continue';
const recordedHistoryPath = join(__dirname, 'histories', 'account-lifecycle.json');

describe('continue-as-new', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let temp: TempStore;
  let worker: Worker;

  beforeAll(async () => {
    installQuietRuntime();
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: ephemeralServerExecutable('temporal-test-server') },
    });
    bundle = await bundleWorkflows();
    temp = await openTempStore();
    worker = await createWorker({
      connection: env.nativeConnection,
      store: temp.store,
      taskQueue,
      rules: loadRuleEngine(),
      delivery: createRecordingDelivery().activities,
      policy: { quietHours: null },
      workflowBundle: bundle,
    });
  });

  afterAll(async () => {
    await temp?.cleanup();
    await env?.teardown();
  });

  it('keeps state and signals across runs', async () => {
    const start = await env.currentTimeMs();
    await seedYearAccount(temp.store, 'globex', start);
    const movedRenewal = start + 200 * dayMs;

    const result = await worker.runUntil(async () => {
      const handle = await ensureAccountWorkflow(env.client, 'globex', {
        taskQueue,
        input: { maxChecksPerRun: 1 },
      });
      await env.sleep(3 * dayMs);

      await temp.store.db
        .updateTable('contracts')
        .set({ renewal_at: movedRenewal })
        .where('id', '=', 'globex-t1')
        .execute();
      await handle.signal('contractChanged', {
        id: 'move-1',
        termNumber: 1,
        renewalAt: movedRenewal,
      });
      await handle.signal('pause', { id: 'pause-1' });
      await handle.signal('resume', { id: 'resume-1' });
      await handle.signal('pause', { id: 'pause-2' });
      await env.sleep(2 * dayMs);
      const paused = await handle.query(stateQuery);

      await handle.signal('resume', { id: 'resume-2' });
      await handle.signal('pause', { id: 'pause-1' });
      await env.sleep(2 * dayMs);
      const resumed = await handle.query(stateQuery);
      const runs = await collectRuns(env, handle.workflowId);
      return { paused, resumed, runs };
    });

    expect(result.runs.length).toBeGreaterThan(3);
    expect(result.paused.paused).toBe(true);
    expect(result.paused.renewalAt).toBe(movedRenewal);
    expect(result.resumed.paused).toBe(false);
    expect(result.resumed.checkNumber).toBeGreaterThan(result.paused.checkNumber);

    const replays = Worker.runReplayHistories({ workflowBundle: bundle }, result.runs);
    for await (const replay of replays) expect(replay.error).toBeUndefined();

    if (process.env.UPDATE_HISTORIES === '1') {
      recordHistory(env.address, result.runs[result.runs.length - 1]?.runId);
    }
  });
});

interface RecordedRun {
  workflowId: string;
  runId: string;
  history: temporal.api.history.v1.IHistory;
}

/** Fetches the history of every run of a workflow, following the continue-as-new chain from the first. */
async function collectRuns(
  env: TestWorkflowEnvironment,
  workflowId: string,
): Promise<RecordedRun[]> {
  const runs: RecordedRun[] = [];
  let runId: string | undefined = (await env.client.workflow.getHandle(workflowId).describe())
    .runId;
  const latest = runId;
  const first = await firstRunId(env, workflowId, latest);
  runId = first;
  while (runId) {
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push({ workflowId, runId, history });
    runId = nextRunId(history);
  }
  return runs;
}

async function firstRunId(
  env: TestWorkflowEnvironment,
  workflowId: string,
  runId: string,
): Promise<string> {
  const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  return started?.firstExecutionRunId ?? runId;
}

function nextRunId(history: temporal.api.history.v1.IHistory): string | undefined {
  const events = history.events ?? [];
  const last = events[events.length - 1];
  return last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
}

/**
 * Writes one run's history as the Temporal CLI prints it, the JSON form that
 * replay tests load. The CLI is used because it writes the standard form.
 */
function recordHistory(address: string, runId: string | undefined): void {
  const cli = findTemporalBinary('temporal');
  if (!cli || !runId) throw new Error('recording a history needs the temporal CLI and a run id');
  const json = execFileSync(
    cli,
    [
      'workflow',
      'show',
      '--workflow-id',
      'account-globex',
      '--run-id',
      runId,
      '--address',
      address,
      '--output',
      'json',
    ],
    { encoding: 'utf8' },
  );
  writeFileSync(recordedHistoryPath, json);
}

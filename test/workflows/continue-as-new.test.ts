import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { collectRuns, type RecordedRun } from './helpers/histories';
import { ephemeralServerExecutable } from '../../src/temporal/binaries';
import { ensureAccountWorkflow } from '../../src/temporal/client';
import { createWorker } from '../../src/temporal/worker';
import { stateQuery } from '../../workflows/lifecycle-signals';
import { dayMs, openTempStore, seedYearAccount, type TempStore } from './helpers/account-store';
import { bundleWorkflows } from './helpers/bundle';
import { createRecordingDelivery } from './helpers/recording-delivery';
import { installQuietRuntime } from './helpers/runtime';
import { loadRuleEngine } from './helpers/rule-folders';
import { expectNoCheckWithinMargin, withinTimeout } from './helpers/time-skipping';

const taskQueue = 'lifecycle-continue';
const recordedHistoryPath = join(__dirname, 'histories', 'account-lifecycle.history.pb');

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

  /** Skips workflow time, failing fast if the time-skipping server stops advancing. */
  const skip = (ms: number): Promise<void> =>
    withinTimeout(`env.sleep(${ms / dayMs} days)`, 30_000, env.sleep(ms));

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
      // Checks run daily from the start, so every sleep here ends a whole
      // number of days plus a half after it, halfway between two checks.
      await skip(3.5 * dayMs);
      expectNoCheckWithinMargin(await handle.query(stateQuery), await env.currentTimeMs());

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
      await skip(2 * dayMs);
      const paused = await handle.query(stateQuery);
      expectNoCheckWithinMargin(paused, await env.currentTimeMs());

      await handle.signal('resume', { id: 'resume-2' });
      // A repeated id: the workflow drops it, so the account stays resumed.
      await handle.signal('pause', { id: 'pause-1' });
      await skip(2.5 * dayMs);
      const resumed = await handle.query(stateQuery);
      const runs = await collectRuns(env, handle.workflowId);
      return { paused, resumed, runs };
    });

    expect(signalIdsInHistory(result.runs)).toEqual([
      'move-1',
      'pause-1',
      'resume-1',
      'pause-2',
      'resume-2',
      'pause-1',
    ]);
    expect(result.runs.length).toBeGreaterThan(3);
    expect(result.paused.paused).toBe(true);
    expect(result.paused.renewalAt).toBe(movedRenewal);
    expect(result.resumed.paused).toBe(false);
    expect(result.resumed.checkNumber).toBeGreaterThan(result.paused.checkNumber);

    const replays = Worker.runReplayHistories({ workflowBundle: bundle }, result.runs);
    for await (const replay of replays) expect(replay.error).toBeUndefined();

    if (process.env.UPDATE_HISTORIES === '1') {
      recordHistory(result.runs);
    }
  });
});

/** Returns the ids of the signals in the histories, in the order the server recorded them. */
function signalIdsInHistory(runs: RecordedRun[]): string[] {
  const ids: string[] = [];
  for (const run of runs) {
    for (const event of run.history.events ?? []) {
      const payload = event.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0];
      if (!payload) continue;
      const envelope = defaultPayloadConverter.fromPayload<{ id?: string }>(payload);
      if (envelope.id !== undefined) ids.push(envelope.id);
    }
  }
  return ids;
}

/**
 * Writes the longest run's history as binary protobuf for the replay test.
 * NOTE: the SDK's JSON helpers (historyToJSON, historyFromJSON) throw "type
 * must be a Type" in this install, because @temporalio/common and
 * @temporalio/proto each carry their own protobufjs 8 copy, since the
 * top level has protobufjs 7 for @grpc/proto-loader. The recording therefore uses the
 * proto encoding of @temporalio/proto, which replays the same. A top-level
 * dependency on protobufjs 8 would give both packages one copy.
 */
function recordHistory(runs: RecordedRun[]): void {
  const longest = [...runs].sort(
    (left, right) => (right.history.events?.length ?? 0) - (left.history.events?.length ?? 0),
  )[0];
  if (!longest) throw new Error('no run to record');
  const encoded = temporal.api.history.v1.History.encode(longest.history).finish();
  writeFileSync(recordedHistoryPath, encoded);
}

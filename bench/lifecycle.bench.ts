import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createMailTransport } from '../src/delivery/mail-transport';
import { openStore, type Store } from '../src/store/database';
import { upsertAccounts, upsertContracts, upsertUsers } from '../src/store/ingest';
import { dayMs } from '../src/store/time';
import { ephemeralServerExecutable } from '../src/temporal/binaries';
import { accountWorkflowId, ensureAccountWorkflow } from '../src/temporal/client';
import { createWorker } from '../src/temporal/worker';
import { stateQuery } from '../workflows/lifecycle-signals';
import * as baselineActivities from './lifecycle/baseline-activities';
import type { Bench, BenchFigure } from './types';

const accounts = 20;
const runSeconds = 10;
/** Time between two checks of one account: short, so the run measures check cost, not waiting. */
const intervalMs = 50;
const cadenceDays = intervalMs / dayMs;
const silent = (): undefined => undefined;
const quietLogger = {
  log: silent,
  trace: silent,
  debug: silent,
  info: silent,
  warn: silent,
  error: silent,
};

/**
 * Account checks on the dev server: history events per check and checks per
 * second over 20 accounts with the default playbook, against a workflow that
 * only sleeps and calls one empty activity, run the same way in the same process.
 */
const bench: Bench = {
  title: 'Account lifecycle checks on the Temporal dev server',
  async run(): Promise<BenchFigure[]> {
    installQuietRuntime();
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: ephemeralServerExecutable('temporal'),
        log: { format: 'json', level: 'error' },
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'uptake-bench-lifecycle-'));
    try {
      const store = await openStore(join(dir, 'uptake.sqlite'));
      const checks = await measureChecks(env, store, dir);
      const baseline = await measureBaseline(env);
      await store.close();
      return [
        {
          name: 'history events per account check',
          value: checks.eventsPerCheck,
          unit: 'events',
          goal: '<= 12',
          note: `one account, ${checks.singleChecks} checks in 5 s, steady state read from its history`,
        },
        {
          name: 'account checks per second',
          value: checks.perSecond,
          unit: 'checks/s',
          baseline: { name: 'timer + empty activity loop', value: baseline, unit: 'rounds/s' },
          ratio: checks.perSecond / baseline,
          goal: '>= 0.5',
          note: `${accounts} accounts for ${runSeconds} s, default playbook, .eml outbox, one in-process worker`,
        },
      ];
    } finally {
      await env.teardown();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;

async function measureChecks(
  env: TestWorkflowEnvironment,
  store: Store,
  dir: string,
): Promise<{ eventsPerCheck: number; singleChecks: number; perSecond: number }> {
  const now = Date.now();
  await seedAccounts(store, accounts + 1, now);
  const worker = await createWorker({
    connection: env.nativeConnection,
    store,
    taskQueue: 'bench-lifecycle',
    rulesDir: resolve(__dirname, '..', 'rules'),
    templatesDir: resolve(__dirname, '..', 'templates'),
    mail: {
      transport: createMailTransport({ outboxDir: join(dir, 'outbox') }),
      config: {
        from: { name: 'Uptake', address: 'cs@uptake.test' },
        appUrl: 'http://127.0.0.1:8080',
        unsubscribeUrl: 'http://127.0.0.1:8080/v1/unsubscribe',
        unsubscribeSecret: 'bench-unsubscribe-secret-of-32-characters',
        webhookSecret: 'bench-webhook-secret-of-at-least-32-chars',
      },
    },
  });
  return worker.runUntil(async () => {
    const single = await runAccounts(env, ['bench-0'], 5);
    const history = await env.client.workflow
      .getHandle(accountWorkflowId('bench-0'))
      .fetchHistory();
    const eventsPerCheck = eventsBetweenChecks(history.events ?? []);

    const ids = Array.from({ length: accounts }, (_, index) => `bench-${index + 1}`);
    const checked = await runAccounts(env, ids, runSeconds);
    return { eventsPerCheck, singleChecks: single, perSecond: checked / runSeconds };
  });
}

/** Starts the accounts' workflows, lets them check for `seconds`, then stops them; returns checks done. */
async function runAccounts(
  env: TestWorkflowEnvironment,
  ids: string[],
  seconds: number,
): Promise<number> {
  const handles = await Promise.all(
    ids.map((id) =>
      ensureAccountWorkflow(env.client, id, {
        taskQueue: 'bench-lifecycle',
        input: {
          policy: {
            cadenceDays: { onboarding: cadenceDays, adoption: cadenceDays, renewal: cadenceDays },
          },
        },
      }),
    ),
  );
  await new Promise((done) => setTimeout(done, seconds * 1000));
  const views = await Promise.all(handles.map((handle) => handle.query(stateQuery)));
  await Promise.all(handles.map((handle) => handle.terminate('benchmark over')));
  return views.reduce((sum, view) => sum + view.checkNumber, 0);
}

/**
 * Counts events from the first check's activity to the last one's, divided by
 * the checks in between: the steady cost of one check, deliveries included,
 * without the workflow's start events.
 */
function eventsBetweenChecks(
  events: {
    activityTaskScheduledEventAttributes?: {
      activityType?: { name?: string | null } | null;
    } | null;
  }[],
): number {
  const checkPositions = events
    .map((event, index) => ({
      index,
      name: event.activityTaskScheduledEventAttributes?.activityType?.name,
    }))
    .filter((entry) => entry.name === 'checkAccount')
    .map((entry) => entry.index);
  const first = checkPositions[0] ?? 0;
  const last = checkPositions[checkPositions.length - 1] ?? 0;
  return (last - first) / Math.max(1, checkPositions.length - 1);
}

/** Keeps the Temporal runtime to errors; the benchmark terminates workflows mid-activity on purpose. */
function installQuietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Another benchmark in this process installed the runtime first.
  }
}

async function measureBaseline(env: TestWorkflowEnvironment): Promise<number> {
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./lifecycle/baseline-workflows'),
    logger: quietLogger,
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'bench-baseline',
    workflowBundle,
    activities: baselineActivities,
  });
  return worker.runUntil(async () => {
    const handles = await Promise.all(
      Array.from({ length: accounts }, (_, index) =>
        env.client.workflow.start('timerActivityLoop', {
          taskQueue: 'bench-baseline',
          workflowId: `baseline-${index}`,
          args: [intervalMs, 1_000_000],
        }),
      ),
    );
    await new Promise((done) => setTimeout(done, runSeconds * 1000));
    const rounds = await Promise.all(handles.map((handle) => countActivityCompletions(handle)));
    await Promise.all(handles.map((handle) => handle.terminate('benchmark over')));
    return rounds.reduce((sum, count) => sum + count, 0) / runSeconds;
  });
}

async function countActivityCompletions(handle: {
  fetchHistory(): Promise<{ events?: { activityTaskCompletedEventAttributes?: unknown }[] | null }>;
}): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((event) => event.activityTaskCompletedEventAttributes)
    .length;
}

async function seedAccounts(store: Store, count: number, now: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const id = `bench-${index}`;
    await upsertAccounts(store, [
      { id, name: `Bench ${index}`, csm_owner: 'csm-ada', created_at: now, updated_at: now },
    ]);
    await upsertUsers(store, [
      {
        id: `${id}-admin`,
        account_id: id,
        email: `admin@${id}.test`,
        role: 'admin',
        timezone: 'UTC',
        created_at: now,
        updated_at: now,
      },
      {
        id: `${id}-user`,
        account_id: id,
        email: `user@${id}.test`,
        role: 'user',
        timezone: 'UTC',
        created_at: now,
        updated_at: now,
      },
    ]);
    await upsertContracts(store, [
      {
        id: `${id}-t1`,
        account_id: id,
        term_number: 1,
        start_at: now - 30 * dayMs,
        renewal_at: now + 335 * dayMs,
        updated_at: now,
      },
    ]);
  }
}

import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureAccountWorkflow, queryAccountState } from '../../src/temporal/client';
import { startAccountWorker, startDevServer, waitUntil } from '../service/dev-server-worker';
import { openTempStore, seedYearAccount, type TempStore } from '../workflows/helpers/account-store';

const bin = resolve(__dirname, '../../bin/uptake.js');
const taskQueue = 'cli-account';
const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `uptake account ...` against `address`, resolving with the exit code instead of rejecting. */
async function uptake(address: string, args: string[]): Promise<CliResult> {
  const env = { ...process.env, TEMPORAL_ADDRESS: address, UPTAKE_TASK_QUEUE: taskQueue };
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, 'account', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('uptake account', () => {
  let env: TestWorkflowEnvironment;
  let temp: TempStore;
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    env = await startDevServer();
    temp = await openTempStore();
    await seedYearAccount(temp.store, 'acme', Date.now());
    stopWorker = await startAccountWorker(env, temp.store, taskQueue);
    await ensureAccountWorkflow(env.client, 'acme', { taskQueue });
  });

  afterAll(async () => {
    await stopWorker?.();
    await temp?.cleanup();
    await env?.teardown();
  });

  it('prints the workflow state', async () => {
    const result = await uptake(env.address, ['state', 'acme']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/stage\s+onboarding \(term 1\)/);
    expect(result.stdout).toMatch(/paused\s+no/);
  });

  it('prints the state as JSON', async () => {
    const result = await uptake(env.address, ['state', 'acme', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).accountId).toBe('acme');
  });

  it('pauses and resumes', async () => {
    const paused = await uptake(env.address, ['pause', 'acme']);
    expect(paused.code).toBe(0);
    expect(paused.stdout).toContain('pause sent to workflow account-acme');
    await waitUntil(async () => (await queryAccountState(env.client, 'acme')).paused);

    const resumed = await uptake(env.address, ['resume', 'acme']);
    expect(resumed.code).toBe(0);
    await waitUntil(async () => !(await queryAccountState(env.client, 'acme')).paused);
  });

  it('rechecks the account', async () => {
    const before = (await queryAccountState(env.client, 'acme')).checkNumber;
    const result = await uptake(env.address, ['recheck', 'acme']);
    expect(result.code).toBe(0);
    await waitUntil(async () => (await queryAccountState(env.client, 'acme')).checkNumber > before);
  });

  it('names an unknown account', async () => {
    const result = await uptake(env.address, ['pause', 'ghost']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no workflow account-ghost runs');
  });

  it('names an unreachable address', async () => {
    // Port 1 on loopback normally has no listener, so the connection is refused.
    const result = await uptake('127.0.0.1:1', ['state', 'acme']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach the Temporal server at 127.0.0.1:1');
    expect(result.stderr).toContain('TEMPORAL_ADDRESS');
  });
});

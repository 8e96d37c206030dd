import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { ephemeralServerExecutable } from '../../src/temporal/binaries';
import { createWorker } from '../../src/temporal/worker';
import { bundleWorkflows } from './helpers/bundle';
import { createRecordingDelivery } from './helpers/recording-delivery';
import { installQuietRuntime } from './helpers/runtime';
import { openTempStore, type TempStore } from './helpers/account-store';

const root = resolve(__dirname, '../..');

describe('worker rules watch', () => {
  let env: TestWorkflowEnvironment;
  let temp: TempStore;
  let rulesDir: string;
  let logLines: Record<string, unknown>[];

  const logger = pino(
    { level: 'info' },
    { write: (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const rejectedLines = () =>
    logLines.filter((line) => line.msg === 'rule set rejected; keeping the last valid one');

  beforeAll(async () => {
    installQuietRuntime();
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: ephemeralServerExecutable('temporal-test-server') },
    });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  beforeEach(async () => {
    temp = await openTempStore();
    rulesDir = mkdtempSync(join(tmpdir(), 'uptake-worker-rules-'));
    cpSync(join(root, 'rules'), rulesDir, { recursive: true });
    logLines = [];
  });

  afterEach(async () => {
    rmSync(rulesDir, { recursive: true, force: true });
    await temp.cleanup();
  });

  it('reports a broken edit without a check', async () => {
    const worker = await createWorker({
      connection: env.nativeConnection,
      store: temp.store,
      taskQueue: 'rules-watch',
      rulesDir,
      templatesDir: join(root, 'templates'),
      delivery: createRecordingDelivery().activities,
      logger,
      workflowBundle: await bundleWorkflows(),
    });

    await worker.runUntil(async () => {
      writeFileSync(join(rulesDir, 'broken.json'), '{bad');
      for (let waited = 0; rejectedLines().length === 0 && waited < 5000; waited += 20) {
        await new Promise((done) => setTimeout(done, 20));
      }
    });

    expect(rejectedLines()).toHaveLength(1);
  });
});

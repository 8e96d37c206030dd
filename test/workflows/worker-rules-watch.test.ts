import { cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { ephemeralServerExecutable } from '../../src/temporal/binaries';
import { createMailTransport } from '../../src/delivery/mail-transport';
import { createWorker } from '../../src/temporal/worker';
import { testConfig } from '../delivery/helpers/store';
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
  const linesWith = (msg: string) => logLines.filter((line) => line.msg === msg);
  const rejectedLines = () => linesWith('rule set rejected; keeping the last valid one');
  const validAgainLines = () => linesWith('rule set valid again; the set in force is unchanged');

  async function waitUntil(condition: () => boolean): Promise<void> {
    for (let waited = 0; !condition() && waited < 5000; waited += 20) {
      await new Promise((done) => setTimeout(done, 20));
    }
  }

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
      await waitUntil(() => rejectedLines().length > 0);
    });

    expect(rejectedLines()).toHaveLength(1);
  });

  it('checks the rules again when templates change', async () => {
    const templatesDir = mkdtempSync(join(tmpdir(), 'uptake-worker-templates-'));
    cpSync(join(root, 'templates'), templatesDir, { recursive: true });
    const transport = createMailTransport({ outboxDir: join(templatesDir, 'outbox') });
    const worker = await createWorker({
      connection: env.nativeConnection,
      store: temp.store,
      taskQueue: 'rules-watch-templates',
      rulesDir,
      templatesDir,
      mail: { transport, config: testConfig },
      logger,
      workflowBundle: await bundleWorkflows(),
    });
    const subject = join(templatesDir, 'email', 'key-features.subject.hbs');

    try {
      await worker.runUntil(async () => {
        renameSync(subject, `${subject}.away`);
        await waitUntil(() => rejectedLines().length > 0);
        renameSync(`${subject}.away`, subject);
        await waitUntil(() => validAgainLines().length > 0);
      });
    } finally {
      transport.close();
      rmSync(templatesDir, { recursive: true, force: true });
    }

    expect(rejectedLines()).toHaveLength(1);
    expect(validAgainLines()).toHaveLength(1);
  });
});

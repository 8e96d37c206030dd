import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundle } from '@temporalio/worker';
import pino from 'pino';
import { createMailTransport, type MailTransport } from '../../src/delivery/mail-transport';
import { ephemeralServerExecutable } from '../../src/temporal/binaries';
import { createWorker } from '../../src/temporal/worker';
import { TemplateLoadError } from '../../src/templates/load-templates';
import { defaultTemplatesDir } from '../../src/templates/template-files';
import { bundleWorkflows } from '../workflows/helpers/bundle';
import { loadRuleEngine } from '../workflows/helpers/rule-folders';
import { installQuietRuntime } from '../workflows/helpers/runtime';
import { createTestStore, testConfig } from './helpers/store';
import type { Store } from '../../src/store/database';

const taskQueue = 'delivery-template-watch';

describe('worker template watch', () => {
  let env: TestWorkflowEnvironment;
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  let templatesDir: string;
  let transport: MailTransport;
  let logLines: Record<string, unknown>[];

  const logger = pino(
    { level: 'info' },
    { write: (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const loadedLines = () => logLines.filter((line) => line.msg === 'templates loaded');

  function editSubject(text: string): void {
    writeFileSync(join(templatesDir, 'email', 'key-features.subject.hbs'), text);
  }

  async function waitForLoads(count: number): Promise<void> {
    for (let waited = 0; loadedLines().length < count; waited += 20) {
      if (waited > 5000) throw new Error(`expected ${count} template loads within 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
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
    ({ store, dir, cleanup } = await createTestStore());
    templatesDir = mkdtempSync(join(tmpdir(), 'uptake-worker-templates-'));
    cpSync(defaultTemplatesDir, templatesDir, { recursive: true });
    transport = createMailTransport({ outboxDir: join(dir, 'outbox') });
    logLines = [];
  });

  afterEach(async () => {
    transport.close();
    rmSync(templatesDir, { recursive: true, force: true });
    await cleanup();
  });

  function startWorker(workflowBundle?: WorkflowBundle): Promise<Worker> {
    return createWorker({
      connection: env.nativeConnection,
      store,
      taskQueue,
      templatesDir,
      rules: loadRuleEngine(),
      mail: { transport, config: testConfig },
      logger,
      ...(workflowBundle ? { workflowBundle } : {}),
    });
  }

  it('reloads while running and stops on shutdown', async () => {
    const worker = await startWorker(await bundleWorkflows());
    expect(loadedLines()).toHaveLength(1);

    await worker.runUntil(async () => {
      editSubject('Edited while running');
      await waitForLoads(2);
    });
    expect(loadedLines()).toHaveLength(2);

    editSubject('Edited after shutdown');
    // Five debounce periods (200 ms each): a watcher still open would have reloaded.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(loadedLines()).toHaveLength(2);
  });

  it('rejects a broken folder at start-up', async () => {
    editSubject('{{account.name');
    await expect(startWorker()).rejects.toThrow(TemplateLoadError);
  });

  it('names the file and line at start-up', async () => {
    editSubject('Hello\n{{account.name');
    await expect(startWorker()).rejects.toThrow(/email\/key-features\.subject\.hbs:2/);
  });
});

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { currentTemplates, type DeliveryDeps } from '../../src/delivery/config';
import { deliverEmail } from '../../src/delivery/email';
import { createMailTransport, emlFileName } from '../../src/delivery/mail-transport';
import type { Store } from '../../src/store/database';
import { loadTemplates } from '../../src/templates/load-templates';
import { defaultTemplatesDir } from '../../src/templates/template-files';
import { TemplateWatcher } from '../../src/templates/template-watcher';
import type { PlannedAction } from '../../src/actions/types';
import { createDeps, createTestStore, plannedAction } from './helpers/store';

describe('email delivery over watched templates', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  let templatesDir: string;
  let watcher: TemplateWatcher;
  let deps: DeliveryDeps;

  beforeEach(async () => {
    ({ store, dir, cleanup } = await createTestStore());
    templatesDir = mkdtempSync(join(tmpdir(), 'uptake-reload-templates-'));
    cpSync(defaultTemplatesDir, templatesDir, { recursive: true });
    watcher = new TemplateWatcher(templatesDir, { debounceMs: 20 });
    watcher.start();
    deps = {
      ...createDeps(store, createMailTransport({ outboxDir: join(dir, 'outbox') })),
      templates: () => watcher.requireCurrent(),
    };
  });

  afterEach(async () => {
    watcher.stop();
    deps.transport.close();
    rmSync(templatesDir, { recursive: true, force: true });
    await cleanup();
  });

  async function sentSubject(action: PlannedAction): Promise<string | undefined> {
    const file = join(dir, 'outbox', emlFileName(action.idempotencyKey));
    return (await simpleParser(readFileSync(file))).subject;
  }

  function editSubject(text: string): Promise<unknown> {
    const reloaded = new Promise((resolve) => watcher.once('reload', resolve));
    writeFileSync(join(templatesDir, 'email', 'key-features.subject.hbs'), text);
    return reloaded;
  }

  it('sends the next email with an edit', async () => {
    const first = plannedAction('email');
    await deliverEmail(deps, first);
    await editSubject('Features for {{account.name}}');
    const second = plannedAction('email', { idempotencyKey: 'second-email' });
    await deliverEmail(deps, second);

    expect(await sentSubject(first)).toBe('2 features Northwind has not tried yet');
    expect(await sentSubject(second)).toBe('Features for Northwind');
  });

  it('sends with the last valid set after a broken edit', async () => {
    const invalid = new Promise((resolve) => watcher.once('invalid', resolve));
    writeFileSync(join(templatesDir, 'email', 'key-features.subject.hbs'), '{{account.name');
    await invalid;
    const action = plannedAction('email');
    const result = await deliverEmail(deps, action);

    expect(result.status).toBe('sent');
    expect(await sentSubject(action)).toBe('2 features Northwind has not tried yet');
  });
});

describe('currentTemplates', () => {
  it('calls a getter at each use', () => {
    const sets = [loadTemplates(), loadTemplates()];
    let calls = 0;
    const deps = { templates: () => sets[calls++ % 2]! };
    expect(currentTemplates(deps)).toBe(sets[0]);
    expect(currentTemplates(deps)).toBe(sets[1]);
  });

  it('returns a fixed set as is', () => {
    const templates = loadTemplates();
    expect(currentTemplates({ templates })).toBe(templates);
  });
});

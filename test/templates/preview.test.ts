import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderPreview } from '../../src/delivery/preview';
import { createSignalsFactsLoader } from '../../src/delivery/signals-facts';
import type { Store } from '../../src/store/database';
import { loadTemplates } from '../../src/templates/load-templates';
import { createTestStore, testNow } from '../delivery/helpers/store';

describe('templates preview', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ store, dir, cleanup } = await createTestStore());
    await store.db
      .insertInto('contracts')
      .values({
        id: 'c1',
        account_id: 'acc-1',
        term_number: 1,
        start_at: testNow - 40 * 86_400_000,
        renewal_at: testNow + 325 * 86_400_000,
        seats: 10,
        value: null,
        status: 'active',
        outcome: null,
        outcome_at: null,
        updated_at: testNow,
      })
      .execute();
  });

  afterAll(async () => {
    await cleanup();
  });

  const request = {
    accountId: 'acc-1',
    asOf: testNow,
    appUrl: 'https://app.test',
    unsubscribeUrl: 'https://api.test/v1/unsubscribe',
  };

  it('renders with the computed facts', async () => {
    const preview = await renderPreview(store, loadTemplates(), createSignalsFactsLoader(), {
      ...request,
      template: 'key-features',
    });
    expect(preview.type).toBe('email');
    expect(preview.heading).toBe('2 features Northwind has not tried yet');
  });

  it('renders a task without a user', async () => {
    const preview = await renderPreview(store, loadTemplates(), createSignalsFactsLoader(), {
      ...request,
      template: 'time-to-value-missed',
    });
    expect(preview.heading).toBe('Northwind: no goal met after 40 days');
  });

  it('names an unknown template', async () => {
    const promise = renderPreview(store, loadTemplates(), createSignalsFactsLoader(), {
      ...request,
      template: 'nope',
    });
    await expect(promise).rejects.toThrow(/template "nope" not found/);
  });

  it('writes HTML from the CLI', () => {
    const out = join(dir, 'preview.html');
    const root = resolve(__dirname, '../..');
    const args = ['bin/uptake.js', 'templates', 'preview', 'key-features', '--account', 'acc-1'];
    execFileSync('node', [...args, '--db', store.path, '--as-of', '2026-12-04', '--out', out], {
      cwd: root,
    });
    expect(readFileSync(out, 'utf8')).toContain('<strong>Scheduled reports</strong>');
  });

  it('names a missing --out folder', () => {
    const out = join(dir, 'no-such-folder', 'preview.html');
    const root = resolve(__dirname, '../..');
    const args = ['bin/uptake.js', 'templates', 'preview', 'key-features', '--account', 'acc-1'];
    const run = spawnSync(
      'node',
      [...args, '--db', store.path, '--as-of', '2026-12-04', '--out', out],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.stderr).toContain(`folder ${join(dir, 'no-such-folder')} does not exist`);
  });

  it('check exits 1 naming the file and line', () => {
    mkdirSync(join(dir, 'broken', 'task'), { recursive: true });
    writeFileSync(join(dir, 'broken', 'task', 't.hbs'), 'Title\n{{> missing}}\n');
    const root = resolve(__dirname, '../..');
    const run = spawnSync('node', ['bin/uptake.js', 'templates', 'check', join(dir, 'broken')], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${join('task', 't.hbs')}:2: unknown partial "missing"`);
  });
});

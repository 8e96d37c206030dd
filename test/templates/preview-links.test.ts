import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { plannedAction, createTestStore } from '../delivery/helpers/store';
import { silentLogger } from '../../src/logger';
import { outboxDir, buildDeliveryActivities } from '../../src/service/delivery-wiring';
import { loadConfigOrThrow } from '../../src/service/lifecycle';
import type { Store } from '../../src/store/database';
import { loadTemplates } from '../../src/templates/load-templates';

const root = resolve(__dirname, '../..');
const linkPattern = /https?:\/\/[^\s"<>]+\/unsubscribe\?token=[A-Za-z0-9_.-]+/;

/** Returns the origin, path and query names of a link, without the token value. */
function linkShape(link: string): string {
  const url = new URL(link);
  return `${url.origin}${url.pathname}?${[...url.searchParams.keys()].join('&')}`;
}

function firstLink(text: string): string {
  const match = linkPattern.exec(text);
  if (!match) throw new Error(`no unsubscribe link in:\n${text}`);
  return match[0];
}

describe('preview unsubscribe link', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ store, dir, cleanup } = await createTestStore());
  });

  afterEach(async () => {
    await cleanup();
  });

  /** Sends the email as the service wires it, with `publicUrl` computed the service's way. */
  async function sentLink(env: NodeJS.ProcessEnv, publicUrl: string): Promise<string> {
    const config = loadConfigOrThrow(env);
    const secrets = { apiToken: 'token', unsubscribeSecret: 'x'.repeat(32), webhookSecret: 'w' };
    const factory = buildDeliveryActivities(config, secrets, store, silentLogger, publicUrl);
    const activities = factory(() => loadTemplates());
    const result = await activities.deliverEmail(plannedAction('email'));
    expect(result.status).toBe('sent');
    const [file] = readdirSync(outboxDir(config));
    const mail = await simpleParser(readFileSync(join(outboxDir(config), file ?? '')));
    return firstLink(mail.text ?? '');
  }

  function previewLink(env: NodeJS.ProcessEnv): string {
    const args = ['bin/uptake.js', 'templates', 'preview', 'key-features', '--account', 'acc-1'];
    const output = execFileSync('node', [...args, '--db', store.path, '--as-of', '2026-12-04'], {
      cwd: root,
      env: { ...process.env, UPTAKE_APP_URL: '', UPTAKE_PUBLIC_URL: '', UPTAKE_CONFIG: '', ...env },
      encoding: 'utf8',
    });
    return firstLink(output);
  }

  it('matches a sent email with a public URL', async () => {
    const env = { UPTAKE_DATA_DIR: dir, UPTAKE_PUBLIC_URL: 'https://cs.vendor.test/' };
    const sent = await sentLink(env, 'https://cs.vendor.test');
    const preview = previewLink(env);
    expect(linkShape(sent)).toBe('https://cs.vendor.test/v1/unsubscribe?token');
    expect(linkShape(preview)).toBe(linkShape(sent));
  });

  it('matches a sent email on the listen address', async () => {
    const env = { UPTAKE_DATA_DIR: dir, HOST: '127.0.0.1', PORT: '3999' };
    const sent = await sentLink(env, 'http://127.0.0.1:3999');
    const preview = previewLink(env);
    expect(linkShape(sent)).toBe('http://127.0.0.1:3999/v1/unsubscribe?token');
    expect(linkShape(preview)).toBe(linkShape(sent));
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlannedAction } from '../../../src/actions/types';
import type { DeliveryConfig, DeliveryDeps } from '../../../src/delivery/config';
import type { MailTransport } from '../../../src/delivery/mail-transport';
import { silentLogger } from '../../../src/logger';
import { openStore, type Store } from '../../../src/store/database';
import { loadTemplates } from '../../../src/templates/load-templates';

/** Fixed clock of the delivery tests: 2026-12-04T09:00:00Z. */
export const testNow = Date.UTC(2026, 11, 4, 9);

export const testConfig: DeliveryConfig = {
  from: { name: 'Acme Success', address: 'success@vendor.test' },
  appUrl: 'https://app.vendor.test',
  unsubscribeUrl: 'https://app.vendor.test/unsubscribe',
  unsubscribeMailto: 'unsubscribe@vendor.test',
  unsubscribeSecret: 'test-unsubscribe-secret',
  webhookSecret: 'test-webhook-secret',
  webhook: { attempts: 3, backoffMs: 5, timeoutMs: 2000 },
};

/** Creates a seeded SQLite file in a fresh temporary folder, removed by `cleanup`. */
export async function createTestStore(): Promise<{
  store: Store;
  dir: string;
  cleanup: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'uptake-delivery-'));
  const store = await openStore(join(dir, 'uptake.sqlite'));
  await seed(store);
  return {
    store,
    dir,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function seed(store: Store): Promise<void> {
  const at = testNow - 40 * 86_400_000;
  await store.db
    .insertInto('accounts')
    .values({
      id: 'acc-1',
      name: 'Northwind',
      plan: 'pro',
      csm_owner: 'casey',
      csm_email: 'casey@vendor.test',
      timezone: 'UTC',
      stage: 'adoption',
      attributes: '{}',
      created_at: at,
      updated_at: at,
    })
    .execute();
  const user = (id: string, email: string | null, name: string | null, role = 'member') => ({
    id,
    account_id: 'acc-1',
    email,
    name,
    role,
    timezone: null,
    subscribed: 1,
    created_at: at,
    updated_at: at,
  });
  await store.db
    .insertInto('users')
    .values([
      user('u-ada', 'ada@northwind.test', 'Ada Lovelace', 'admin'),
      user('u-bob', 'bob@northwind.test', 'Bob'),
      user('u-noemail', null, 'No Mail'),
      user('u-comma', 'a@x.test,b@y.test', 'Comma'),
      user('u-angle', 'Eve <eve@x.test>', 'Angle'),
      user('u-two', 'a@x.test b@y.test', 'Two'),
      user('u-crlf', 'crlf@northwind.test', 'Mallory\r\nBcc: victim@x.test'),
    ])
    .execute();
  await store.db
    .insertInto('features')
    .values([
      {
        key: 'reports',
        name: 'Scheduled reports',
        released_at: null,
        is_key: 1,
        help_url: 'https://help.vendor.test/reports',
      },
      { key: 'alerts', name: 'Alerts', released_at: null, is_key: 1, help_url: null },
      {
        key: 'ai-summary',
        name: 'AI summaries',
        released_at: testNow - 5 * 86_400_000,
        is_key: 0,
        help_url: null,
      },
    ])
    .execute();
}

/** Delivery dependencies over the shipped templates and a fixed clock. */
export function createDeps(store: Store, transport: MailTransport): DeliveryDeps {
  return {
    store,
    templates: loadTemplates(),
    transport,
    config: testConfig,
    logger: silentLogger,
    now: () => testNow,
  };
}

/** Builds a planned action of `type`; the key depends on type and recipient. */
export function plannedAction(
  type: PlannedAction['type'],
  overrides: Partial<PlannedAction> = {},
): PlannedAction {
  return {
    idempotencyKey: `account-acc-1:1:rule-x:${overrides.recipient ?? 'u-ada'}:${type}`,
    accountId: 'acc-1',
    ruleId: 'key-features-never-used',
    ruleSetVersion: 'v-test',
    type,
    template: 'key-features',
    params: {},
    recipient: 'u-ada',
    evidence: { keyFeaturesNeverUsed: ['reports', 'alerts'], accountAgeDays: 40 },
    notBefore: testNow,
    ...overrides,
  };
}

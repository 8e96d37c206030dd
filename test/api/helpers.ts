import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app';
import { createMetrics, type ServiceMetrics } from '../../src/api/metrics';
import type { ApiDependencies, DeliveryQueries, WorkflowNotifier } from '../../src/api/ports';
import { silentLogger } from '../../src/logger';
import { openStore, type Store } from '../../src/store/database';
import { createStoreIngest } from '../../src/service/store-ingest';
import { listAccountDeliveries } from '../../src/service/delivery-outcomes';

export const token = 'test-token-0123456789abcdef';
export const auth = { authorization: `Bearer ${token}` };

/** Calls the workflows would have received, recorded instead of reaching Temporal. */
export interface RecordedWorkflowCalls {
  accountsUpserted: string[][];
  milestonesCompleted: unknown[][];
  contractsChanged: string[][];
}

/** An API over a real SQLite file in a temporary folder. */
export interface TestApi {
  app: FastifyInstance;
  store: Store;
  metrics: ServiceMetrics;
  calls: RecordedWorkflowCalls;
  dir: string;
  /** Base URL of the app, listening on 127.0.0.1 on a free port. */
  url: string;
  close(): Promise<void>;
}

/** The parts of an HTTP response that tests look at. */
export interface Answer {
  statusCode: number;
  headers: Headers;
  body: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function recordingNotifier(calls: RecordedWorkflowCalls): WorkflowNotifier {
  return {
    accountsUpserted: async (ids) => void calls.accountsUpserted.push(ids),
    milestonesCompleted: async (rows) => void calls.milestonesCompleted.push(rows),
    contractsChanged: async (ids) => void calls.contractsChanged.push(ids),
  };
}

/** Builds the app on a fresh store; `overrides` replaces single dependencies. */
export async function createTestApi(
  overrides: Partial<ApiDependencies> | ((store: Store) => Partial<ApiDependencies>) = {},
  options: { maxBatchSize?: number; maxBodyBytes?: number; delivery?: DeliveryQueries } = {},
): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'uptake-api-'));
  const store = await openStore(join(dir, 'uptake.sqlite'));
  const calls: RecordedWorkflowCalls = {
    accountsUpserted: [],
    milestonesCompleted: [],
    contractsChanged: [],
  };
  const metrics = createMetrics();
  const deps: ApiDependencies = {
    store,
    ingest: createStoreIngest(store, () => Date.parse('2026-12-01T00:00:00Z')),
    workflows: recordingNotifier(calls),
    delivery: options.delivery ?? ({} as DeliveryQueries),
    readAccountState: async () => undefined,
    isEarlyAdopter: async () => false,
    routeFeedback: async () => undefined,
    lifecycle: { sendSignal: async () => true, readState: async () => undefined },
    listDeliveries: (accountId, filter) => listAccountDeliveries(store, accountId, filter),
    ...(typeof overrides === 'function' ? overrides(store) : overrides),
  };
  const app = await buildApp(deps, {
    logger: silentLogger,
    apiToken: token,
    metrics,
    maxBatchSize: options.maxBatchSize ?? 100,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    metricsPublic: false,
  });
  // Fastify's inject() loads an ESM-only dependency that Jest cannot require, so tests use a real socket.
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url,
    store,
    metrics,
    calls,
    dir,
    close: async () => {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends a request as JSON unless `body` is a string, with the bearer token unless `headers` replace it. */
export async function request(
  api: TestApi,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...auth, ...options.headers };
  let body: string | undefined;
  if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(api.url + path, { method, headers, body });
  const text = await response.text();
  return {
    statusCode: response.status,
    headers: response.headers,
    body: text,
    json: () => JSON.parse(text),
  };
}

/** Sends a JSON request with the bearer token. */
export function send(
  api: TestApi,
  method: string,
  path: string,
  payload?: unknown,
): Promise<Answer> {
  return request(api, method, path, payload === undefined ? {} : { body: payload });
}

/** Stores one account with two users and two features, the base of most route tests. */
export async function seedAccount(api: TestApi): Promise<void> {
  await send(api, 'PUT', '/v1/accounts', {
    accounts: [
      { id: 'acme', name: 'Acme', plan: 'pro', csmOwner: 'csm-1', timezone: 'Europe/Berlin' },
    ],
  });
  await send(api, 'PUT', '/v1/users', {
    users: [
      { id: 'u1', accountId: 'acme', email: 'ana@acme.test', role: 'admin' },
      { id: 'u2', accountId: 'acme', email: 'bo@acme.test', role: 'user' },
    ],
  });
  await send(api, 'PUT', '/v1/features', {
    features: [
      { key: 'reports', name: 'Reports', isKey: true },
      { key: 'export', name: 'Export' },
    ],
  });
}

/** Counts the rows of a table. */
export async function countRows(
  store: Store,
  table:
    | 'usage_events'
    | 'accounts'
    | 'users'
    | 'contracts'
    | 'tickets'
    | 'feedback'
    | 'usage_daily'
    | 'milestones'
    | 'goals',
): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

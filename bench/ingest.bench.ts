import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp } from '../src/api/app';
import { createMetrics } from '../src/api/metrics';
import type { DeliveryQueries, LifecycleControl, WorkflowNotifier } from '../src/api/ports';
import { usageEventInput, type UsageEventInput } from '../src/api/schemas';
import { silentLogger } from '../src/logger';
import { createStoreIngest } from '../src/service/store-ingest';
import { openStore, type Store } from '../src/store/database';
import type { Bench, BenchFigure } from './types';

/** The parts of autocannon's options and result used here; the package ships no type declarations. */
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}
interface AutocannonResult {
  non2xx: number;
  errors: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  amount: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const accounts = 200;
const usersPerAccount = 5;
const features = ['dashboards', 'reports', 'export', 'alerts'];
const batchSize = 1_000;
const batches = 150;
const connections = 4;
const token = 'bench-token-0123456789abcdef';
const day0 = Date.parse('2026-09-01T00:00:00Z');

/** Builds `batches` JSON bodies of `batchSize` distinct events over 90 days. */
function buildBatches(): { bodies: string[]; parsed: UsageEventInput[][] } {
  const bodies: string[] = [];
  const parsed: UsageEventInput[][] = [];
  for (let b = 0; b < batches; b += 1) {
    const events = Array.from({ length: batchSize }, (_, i) => {
      const n = b * batchSize + i;
      const account = n % accounts;
      return {
        id: `ev-${n}`,
        accountId: `acct-${account}`,
        userId: `acct-${account}-u${n % usersPerAccount}`,
        feature: n % 5 === 0 ? null : (features[n % features.length] as string),
        occurredAt: new Date(day0 + (n % 90) * 86_400_000 + (n % 36_000) * 1000).toISOString(),
        count: 1 + (n % 7),
      };
    });
    bodies.push(JSON.stringify({ events }));
    parsed.push(events.map((event) => usageEventInput.parse(event)));
  }
  return { bodies, parsed };
}

async function seededStore(dir: string): Promise<Store> {
  const store = await openStore(join(dir, 'uptake.sqlite'));
  const ingest = createStoreIngest(store);
  await ingest.upsertFeatures(features.map((key) => ({ key, name: key, isKey: false })));
  const ids = Array.from({ length: accounts }, (_, a) => `acct-${a}`);
  await ingest.upsertAccounts(ids.map((id) => ({ id, name: id, timezone: 'UTC', attributes: {} })));
  await ingest.upsertUsers(
    ids.flatMap((id) =>
      Array.from({ length: usersPerAccount }, (_, u) => ({
        id: `${id}-u${u}`,
        accountId: id,
        role: 'user',
      })),
    ),
  );
  return store;
}

async function countEvents(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('usage_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Events per second through POST /v1/events, with autocannon on loopback. */
async function measureHttp(
  bodies: string[],
): Promise<{ rate: number; stored: number; errors: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'uptake-bench-http-'));
  const store = await seededStore(dir);
  const none = async () => undefined;
  const workflows: WorkflowNotifier = {
    accountsUpserted: none,
    contractsChanged: none,
    milestonesCompleted: none,
  };
  const app = await buildApp(
    {
      store,
      ingest: createStoreIngest(store),
      workflows,
      delivery: {} as DeliveryQueries,
      readAccountState: none,
      isEarlyAdopter: async () => false,
      routeFeedback: none,
      lifecycle: {} as LifecycleControl,
      listDeliveries: async () => [],
    },
    {
      logger: silentLogger,
      apiToken: token,
      metrics: createMetrics(),
      maxBatchSize: 10_000,
      maxBodyBytes: 16 * 1024 ** 2,
      metricsPublic: false,
    },
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });

  let next = 0;
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url,
    connections,
    amount: bodies.length,
    requests: [
      {
        method: 'POST',
        path: '/v1/events',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const stored = await countEvents(store);
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { rate: stored / seconds, stored, errors: result.non2xx + result.errors };
}

/** Events per second through the same batch writes without HTTP, validation or JSON. */
async function measureDirect(parsed: UsageEventInput[][]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'uptake-bench-direct-'));
  const store = await seededStore(dir);
  const ingest = createStoreIngest(store);
  const started = process.hrtime.bigint();
  for (const batch of parsed) await ingest.insertUsageEvents(batch);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stored = await countEvents(store);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return stored / seconds;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Seconds from spawning `uptake serve` (dev server included) on a store with
 * one account until that account's first check is recorded.
 */
async function measureServeToFirstCheck(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'uptake-bench-serve-'));
  const store = await seededStore(dir);
  await store.db
    .deleteFrom('accounts')
    .where('id', '!=', 'acct-0')
    .execute()
    .catch(() => undefined);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    UPTAKE_DATA_DIR: dir,
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  delete env.TEMPORAL_ADDRESS;
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [resolve(__dirname, '..', 'bin', 'uptake.js'), 'serve'], {
    env,
    stdio: 'ignore',
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    for (let waited = 0; waited < 120_000 && !exited; waited += 100) {
      const row = await store.db.selectFrom('checks').select('account_id').executeTakeFirst();
      if (row) return Number(process.hrtime.bigint() - started) / 1e9;
      await new Promise((done) => setTimeout(done, 100));
    }
    return Number.NaN;
  } finally {
    if (!exited) {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    }
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Bench = {
  title: 'HTTP batch ingest and service start',
  async run(): Promise<BenchFigure[]> {
    const { bodies, parsed } = buildBatches();
    const direct = await measureDirect(parsed);
    const http = await measureHttp(bodies);
    const sent = batches * batchSize;
    const firstCheck = await measureServeToFirstCheck();
    return [
      {
        name: `POST /v1/events, ${batches} batches of ${batchSize}, ${connections} connections`,
        value: http.rate,
        unit: 'events/s',
        baseline: { name: 'insertUsageEvents without HTTP', value: direct, unit: 'events/s' },
        ratio: http.rate / direct,
        goal: '>= 30000 events/s, stored = sent',
        note: `sent ${sent}, stored ${http.stored}, failed requests ${http.errors}`,
      },
      {
        name: 'uptake serve to first account check',
        value: firstCheck,
        unit: 's',
        note: 'spawn to first checks row; includes starting the Temporal dev server and bundling workflows',
      },
    ];
  },
};

export default bench;

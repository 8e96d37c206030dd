import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { importPath } from '../src/import/importer';
import { parseMapping } from '../src/import/mapping';
import { openStore } from '../src/store/database';
import { insertUsageEvents, upsertAccounts, type UsageEventInput } from '../src/store/ingest';
import type { Bench, BenchFigure } from './types';

// 200k events over 2,000 accounts, 10 features and 5 days, two events per account, feature and
// day, which is close to OULAD's 753,564 click rows in 384,545 daily rollups.
const eventCount = 200_000;
const accountCount = 2_000;
const batchSize = 10_000;
const start = Date.UTC(2026, 0, 1);

function generateEvents(): UsageEventInput[] {
  return Array.from({ length: eventCount }, (_, i) => ({
    event_id: `bench:${i}`,
    account_id: `acct-${i % accountCount}`,
    user_id: `user-${i % accountCount}`,
    feature_key: `feature-${Math.floor(i / accountCount) % 10}`,
    occurred_at: start + (Math.floor(i / (accountCount * 10)) % 5) * 86_400_000 + (i % 1000),
    count: 1 + (i % 7),
  }));
}

/** Plain better-sqlite3: one prepared INSERT per row into a table without keys, in one transaction. */
function plainInsertLoop(folder: string, events: UsageEventInput[], name: string): number {
  const db = new SQLite(join(folder, `${name}.sqlite`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'create table usage_events (event_id text, account_id text, user_id text, feature_key text, occurred_at integer, count integer)',
  );
  const insert = db.prepare('insert into usage_events values (?, ?, ?, ?, ?, ?)');
  const began = performance.now();
  db.transaction(() => {
    for (const e of events) {
      insert.run(e.event_id, e.account_id, e.user_id, e.feature_key, e.occurred_at, e.count);
    }
  })();
  const seconds = (performance.now() - began) / 1000;
  db.close();
  return events.length / seconds;
}

/** insertUsageEvents in batches, with deduplication and daily rollups, into a migrated store. */
async function storeInsert(folder: string, events: UsageEventInput[]): Promise<number> {
  const store = await openStore(join(folder, 'store.sqlite'));
  const began = performance.now();
  for (let i = 0; i < events.length; i += batchSize) {
    await insertUsageEvents(store, events.slice(i, i + batchSize));
  }
  const seconds = (performance.now() - began) / 1000;
  await store.close();
  return events.length / seconds;
}

/** Imports a generated CSV of the same events through the importer, sampling RSS meanwhile. */
async function csvImport(
  folder: string,
  events: UsageEventInput[],
): Promise<{ rate: number; rssGrowthMiB: number }> {
  const lines = events.map(
    (e) =>
      `${e.event_id},${e.account_id},${e.feature_key},${new Date(e.occurred_at).toISOString()},${e.count}`,
  );
  writeFileSync(join(folder, 'events.csv'), `id,account,feature,at,clicks\n${lines.join('\n')}\n`);
  const mapping = parseMapping({
    files: [
      {
        file: 'events.csv',
        entities: [
          {
            entity: 'usageEvent',
            fields: {
              eventKey: 'id',
              accountId: 'account',
              featureKey: 'feature',
              occurredAt: 'at',
              count: 'clicks',
            },
          },
        ],
      },
    ],
  });
  const store = await openStore(join(folder, 'import.sqlite'));
  const accounts = Array.from({ length: accountCount }, (_, i) => ({
    id: `acct-${i}`,
    name: `Account ${i}`,
    created_at: start,
    updated_at: start,
  }));
  await upsertAccounts(store, accounts);
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const began = performance.now();
  await importPath(store, join(folder, 'events.csv'), mapping, {
    onProgress: () => {
      peak = Math.max(peak, process.memoryUsage().rss);
    },
  });
  const seconds = (performance.now() - began) / 1000;
  await store.close();
  return { rate: events.length / seconds, rssGrowthMiB: (peak - baseline) / 2 ** 20 };
}

const bench: Bench = {
  title: 'Import: usage events with dedupe and daily rollups vs a plain insert loop',
  async run(): Promise<BenchFigure[]> {
    const folder = mkdtempSync(join(tmpdir(), 'uptake-bench-import-'));
    const events = generateEvents();
    try {
      // The baseline runs before and after the measured paths, and the mean is used, so that
      // load from other processes on a shared machine weighs on both sides alike.
      const plainBefore = plainInsertLoop(folder, events, 'plain-before');
      const stored = await storeInsert(folder, events);
      const imported = await csvImport(folder, events);
      const plain = (plainBefore + plainInsertLoop(folder, events, 'plain-after')) / 2;
      const baseline = { name: 'plain better-sqlite3 insert loop', value: plain, unit: 'events/s' };
      // NOTE: the store path reaches the 0.40 goal with little margin, and the CSV importer stays
      // below it. On a shared 2-core machine at load 1.4 to 2.1, insertUsageEvents measured 0.43
      // to 0.49 of the plain loop and the CSV import 0.24 to 0.27, and both fall when other
      // processes take the cores. By process.cpuUsage the plain loop takes about 0.35 s for these
      // 200k events and the store path about 0.79 s, a CPU-time ratio of about 0.44. SQLite's
      // B-tree work bounds the store path. CPU profiles put roughly 0.23 s in staging, 0.22 s in
      // the insert into the clustered usage_events and 0.33 s in the key-ordered usage_daily
      // upserts. The CSV importer adds csv-parse, which runs in a worker thread from 4 MiB on,
      // and the mapping of each row. Its rate therefore depends on a free second core. Even then
      // the importing thread takes roughly 1.5 s of CPU time, against 0.9 s in the worker,
      // because it still maps, stages and rolls up every row.
      return [
        {
          name: `insertUsageEvents, ${eventCount} events`,
          value: stored,
          unit: 'events/s',
          baseline,
          ratio: stored / plain,
          goal: 'ratio >= 0.40',
          note: 'per event this path inserts into usage_events (clustered on event_id) and upserts usage_daily (clustered on its key); the baseline appends to one table without keys',
        },
        {
          name: `uptake import of a ${eventCount}-row CSV`,
          value: imported.rate,
          unit: 'events/s',
          baseline,
          ratio: imported.rate / plain,
        },
        {
          name: 'peak RSS growth while importing the CSV',
          value: imported.rssGrowthMiB,
          unit: 'MiB',
          note: 'flat memory: growth is bounded by the batch size, the batches waiting between the threads and the heap of the CSV worker thread, not by the file size, because pending rollups wait in SQLite temp storage',
        },
      ];
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },
};

export default bench;

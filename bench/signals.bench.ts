import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeSignals } from '../src/signals/compute';
import {
  loadAccountHistories,
  loadFeatureCatalog,
  type AccountHistory,
} from '../src/signals/history';
import { openStore, type Store } from '../src/store/database';
import { dayMs, toEpochDay } from '../src/store/time';
import type { Bench, BenchFigure } from './types';

const accountCount = 10_000;
const usersPerAccount = 3;
const daysOfUsage = 90;
const chunkSize = 500;
const featureKeys = ['reports', 'export', 'api', 'dashboards', 'alerts', 'sso', 'billing', 'audit'];
const roles = ['admin', 'manager', 'user', 'analyst'];
const termStart = Date.UTC(2026, 0, 1);
const asOf = termStart + (daysOfUsage - 1) * dayMs + 12 * 3_600_000;

/** Returns a seeded pseudo-random generator (mulberry32), so every run stores the same rows. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes the generated accounts with plain prepared statements, in one transaction. */
function generateStore(store: Store): number {
  const random = seededRandom(42);
  const sqlite = store.sqlite;
  const statements = {
    account: sqlite.prepare(
      `INSERT INTO accounts (id, name, plan, stage, created_at, updated_at) VALUES (?, ?, 'pro', 'adoption', ?, ?)`,
    ),
    user: sqlite.prepare(
      `INSERT INTO users (id, account_id, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
    ),
    contract: sqlite.prepare(
      `INSERT INTO contracts (id, account_id, term_number, start_at, renewal_at, seats, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?)`,
    ),
    usage: sqlite.prepare(
      `INSERT INTO usage_daily (account_id, user_id, feature_key, day, count, events) VALUES (?, ?, ?, ?, ?, 1)`,
    ),
    milestone: sqlite.prepare(
      `INSERT INTO milestones (account_id, key, name, due_at, completed_at) VALUES (?, ?, ?, ?, ?)`,
    ),
    ticket: sqlite.prepare(
      `INSERT INTO tickets (id, account_id, opened_at, closed_at) VALUES (?, ?, ?, ?)`,
    ),
    feature: sqlite.prepare(
      `INSERT INTO features (key, name, released_at, is_key) VALUES (?, ?, ?, ?)`,
    ),
  };

  let usageRows = 0;
  sqlite.transaction(() => {
    featureKeys.forEach((key, index) => {
      statements.feature.run(key, key, termStart + (index - 4) * 20 * dayMs, index < 4 ? 1 : 0);
    });
    for (let a = 0; a < accountCount; a += 1) {
      usageRows += generateAccount(`acct-${a}`, random, statements);
    }
  })();
  return usageRows;
}

type Statements = Record<string, { run(...values: unknown[]): unknown }>;

function generateAccount(id: string, random: () => number, statements: Statements): number {
  const firstDay = toEpochDay(termStart);
  statements.account!.run(id, id, termStart, termStart);
  statements.contract!.run(`${id}-1`, id, termStart, termStart + 365 * dayMs, 5, termStart);
  let rows = 0;
  for (let u = 0; u < usersPerAccount; u += 1) {
    const userId = `${id}-u${u}`;
    statements.user!.run(userId, id, roles[u % roles.length], termStart, termStart);
    const activity = random();
    for (let day = 0; day < daysOfUsage; day += 1) {
      if (random() > activity * 0.6) continue;
      statements.usage!.run(id, userId, '', firstDay + day, 1);
      const feature = featureKeys[Math.floor(random() * featureKeys.length)] as string;
      statements.usage!.run(id, userId, feature, firstDay + day, 1 + Math.floor(random() * 20));
      rows += 2;
    }
  }
  for (let m = 0; m < 4; m += 1) {
    const due = termStart + (m + 1) * 10 * dayMs;
    const done = random() < 0.7 ? due - dayMs : null;
    statements.milestone!.run(id, `m${m}`, `Milestone ${m}`, due, done);
  }
  const tickets = Math.floor(random() * 4);
  for (let t = 0; t < tickets; t += 1) {
    const opened = termStart + Math.floor(random() * daysOfUsage) * dayMs;
    statements.ticket!.run(`${id}-t${t}`, id, opened, random() < 0.5 ? opened + 2 * dayMs : null);
  }
  return rows;
}

/** Reads the same rows as the loader with plain statements and sums the daily counts. */
function readRowsPlain(store: Store, ids: string[]): number {
  const marks = ids.map(() => '?').join(', ');
  let sum = 0;
  for (const table of ['accounts', 'users', 'contracts', 'milestones', 'goals', 'tickets']) {
    const column = table === 'accounts' ? 'id' : 'account_id';
    sum += store.sqlite
      .prepare(`SELECT * FROM ${table} WHERE ${column} IN (${marks})`)
      .all(...ids).length;
  }
  const usage = store.sqlite
    .prepare(`SELECT * FROM usage_daily WHERE account_id IN (${marks}) ORDER BY account_id, day`)
    .all(...ids) as { count: number }[];
  for (const row of usage) sum += row.count;
  return sum;
}

function sumDailyCounts(history: AccountHistory): number {
  let sum = 0;
  for (const row of history.usageDaily) sum += row.count;
  return sum;
}

interface Timings {
  loadAndComputeMs: number;
  computeMs: number;
  plainReadMs: number;
  plainSumMs: number;
  checksum: number;
}

/** Walks all accounts chunk by chunk, timing the loader, computeSignals and the baselines. */
async function measure(store: Store, ids: string[]): Promise<Timings> {
  const features = await loadFeatureCatalog(store);
  const timings: Timings = {
    loadAndComputeMs: 0,
    computeMs: 0,
    plainReadMs: 0,
    plainSumMs: 0,
    checksum: 0,
  };
  for (let start = 0; start < ids.length; start += chunkSize) {
    const chunk = ids.slice(start, start + chunkSize);

    let began = performance.now();
    timings.checksum += readRowsPlain(store, chunk);
    timings.plainReadMs += performance.now() - began;

    began = performance.now();
    const histories = await loadAccountHistories(store, chunk, features);
    const loadMs = performance.now() - began;

    // The sum runs first so that both loops below see rows already in the CPU caches,
    // and the ratio reflects the signal logic rather than the first touch of fresh rows.
    began = performance.now();
    for (const history of histories.values()) timings.checksum += sumDailyCounts(history);
    timings.plainSumMs += performance.now() - began;

    began = performance.now();
    for (const history of histories.values()) {
      timings.checksum += computeSignals(history, asOf).activeDaysLast30;
    }
    const computeMs = performance.now() - began;
    timings.computeMs += computeMs;
    timings.loadAndComputeMs += loadMs + computeMs;
  }
  return timings;
}

const bench: Bench = {
  title: `Signals for ${accountCount.toLocaleString('en')} generated accounts`,
  async run(): Promise<BenchFigure[]> {
    const folder = mkdtempSync(join(tmpdir(), 'uptake-signals-bench-'));
    const store = await openStore(join(folder, 'bench.sqlite'));
    try {
      const usageRows = generateStore(store);
      const ids = Array.from({ length: accountCount }, (_, index) => `acct-${index}`);
      await measure(store, ids.slice(0, chunkSize)); // warm-up: JIT and SQLite page cache
      const timings = await measure(store, ids);
      return toFigures(timings, usageRows);
    } finally {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    }
  },
};

function toFigures(timings: Timings, usageRows: number): BenchFigure[] {
  const perAccount = (ms: number) => (ms * 1000) / accountCount;
  const rowsNote = `${usersPerAccount} users, ${daysOfUsage} days, ${Math.round(usageRows / accountCount)} daily rows per account on average; ratio = value / baseline, lower is better`;
  return [
    {
      name: 'load + compute',
      value: perAccount(timings.loadAndComputeMs),
      unit: 'µs/account',
      baseline: {
        name: 'plain better-sqlite3 read of the same rows',
        value: perAccount(timings.plainReadMs),
        unit: 'µs/account',
      },
      ratio: timings.loadAndComputeMs / timings.plainReadMs,
      note: rowsNote,
    },
    {
      name: 'compute alone',
      value: perAccount(timings.computeMs),
      unit: 'µs/account',
      baseline: {
        name: 'loop summing the loaded daily rows',
        value: perAccount(timings.plainSumMs),
        unit: 'µs/account',
      },
      ratio: timings.computeMs / timings.plainSumMs,
      note: rowsNote,
    },
  ];
}

export default bench;

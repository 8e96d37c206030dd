import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ephemeralServerExecutable } from '../../src/temporal/binaries';
import { ensureAccountWorkflow } from '../../src/temporal/client';
import type { Store } from '../../src/store/database';
import { upsertAccounts, upsertContracts, upsertUsers } from '../../src/store/ingest';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink';
import { dayMs, openTempStore, type TempStore } from './helpers/account-store';
import { yearRulesDir } from './helpers/rule-folders';
import { installQuietRuntime } from './helpers/runtime';

const taskQueue = 'lifecycle-end-to-end';
const accounts = 15;
const usersPerAccount = 2;
const expectedEmails = accounts * usersPerAccount;
const repoRoot = resolve(__dirname, '..', '..');
/** Optional folder for the workers' info logs and the kill instant, to trace each delivery attempt. */
const logDir = process.env.UPTAKE_E2E_LOG_DIR;
/**
 * Delay of the relay's reply after it kept a message, as a relay writing to disk
 * takes. The first kill lands inside it, before the worker reads the reply.
 */
const relayReplyDelayMs = 40;

describe('end to end on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let smtp: SmtpSink;
  let temp: TempStore;
  const workers: ChildProcess[] = [];
  // The sink kills a worker from inside its own handlers, so the kill lands at an exact point
  // of the SMTP exchange instead of wherever a poll happens to see it.
  const kills = { atDataEnd: null as Kill | null, atDataStart: null as Kill | null };
  let messageIdAtKill: string | undefined;

  beforeAll(async () => {
    installQuietRuntime();
    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: ephemeralServerExecutable('temporal') },
    });
    smtp = await startSmtpSink({
      replyDelayMs: relayReplyDelayMs,
      onDataEnd: (count, raw) => {
        if (!kills.atDataEnd?.due(count)) return;
        messageIdAtKill = /^Message-ID:\s*(<[^>\s]+>)/im.exec(raw.toString('latin1'))?.[1];
        kills.atDataEnd = kills.atDataEnd.fire();
      },
      onDataStart: (count) => {
        if (kills.atDataStart?.due(count)) kills.atDataStart = kills.atDataStart.fire();
      },
    });
    temp = await openTempStore();
  });

  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await smtp?.close();
    await temp?.cleanup();
    await env?.teardown();
  });

  it('loses and repeats no email across two worker kills', async () => {
    await seedAccounts(temp.store, Date.now());
    const spawnWorker = (): ChildProcess => {
      const child = startWorkerProcess(env.address, smtp.url, temp.path);
      workers.push(child);
      return child;
    };

    // First kill: the relay has the whole third message and has not replied yet.
    const first = spawnWorker();
    const firstKilled = new Promise<void>((done) => {
      kills.atDataEnd = killAt(first, 3, done);
    });
    for (let index = 0; index < accounts; index += 1) {
      await ensureAccountWorkflow(env.client, `e2e-${index}`, { taskQueue });
    }
    await withTimeout(firstKilled, 90_000, 'the first worker sent no third message');
    const sentBeforeKill = await sentCount(temp.store);

    // Second kill: the next worker has started a message whose data the relay has not read.
    const second = spawnWorker();
    const secondKilled = new Promise<void>((done) => {
      kills.atDataStart = killAt(second, smtp.started() + 3, done);
    });
    await withTimeout(secondKilled, 120_000, 'the second worker started no third message');

    spawnWorker();
    await waitFor(async () => (await sentCount(temp.store)) >= expectedEmails, 120_000);
    // Give a retried attempt of a killed worker time to show up as a second copy.
    await new Promise((done) => setTimeout(done, 2_000));

    const messageIds = smtp.messages.map((mail) => mail.messageId ?? '');
    const outboxIds = await sentMessageIds(temp.store);
    const handedOver = await handedOverIds(temp.store);
    console.log(
      `end to end: ${sentBeforeKill} sent before the first kill, ${messageIds.length} SMTP ` +
        `messages, ${repeatedIds(messageIds).length} repeated, ${handedOver.length} recorded ` +
        `from a hand-over, ${smtp.started() - smtp.messages.length} message data cut off`,
    );
    expect(sentBeforeKill).toBeLessThan(expectedEmails);
    expect(outboxIds).toHaveLength(expectedEmails);
    expect(new Set(outboxIds).size).toBe(expectedEmails);
    expect([...new Set(messageIds)].sort()).toEqual([...outboxIds].sort());
    expect(repeatedIds(messageIds)).toEqual([]);
    // The message the relay held at the first kill was recorded, not sent again.
    expect(handedOver).toEqual([messageIdAtKill]);
    // The message cut off by the second kill never reached the relay whole, and was sent again.
    expect(smtp.started() - smtp.messages.length).toBe(1);
  }, 300_000);

  it('sends both parts and unsubscribe headers', async () => {
    const mail = smtp.messages[0]!;
    expect(mail.text).toBeTruthy();
    expect(mail.html).toBeTruthy();
    const header = (key: string): string | undefined =>
      mail.headerLines.find((line) => line.key === key)?.line.replace(/\r?\n\s+/g, ' ');
    expect(header('list-unsubscribe')).toMatch(
      /<http:\/\/127\.0\.0\.1:8080\/v1\/unsubscribe\?token=/,
    );
    expect(header('list-unsubscribe-post')).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    expect(mail.text).toMatch(/unsubscribe\?token=/);
  });
});

/** Spawns `uptake worker` as its own process, so the test can kill it like a crashed host. */
function startWorkerProcess(address: string, smtpUrl: string, dbPath: string): ChildProcess {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'uptake.js'), 'worker'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      UPTAKE_TASK_QUEUE: taskQueue,
      UPTAKE_DB: dbPath,
      UPTAKE_DATA_DIR: join(dbPath, '..', 'data'),
      UPTAKE_RULES_DIR: yearRulesDir,
      UPTAKE_PUBLIC_URL: 'http://127.0.0.1:8080',
      SMTP_URL: smtpUrl,
      EMAIL_FROM: 'Uptake <cs@uptake.test>',
      LOG_LEVEL: logDir ? 'info' : 'warn',
    },
    stdio: [
      'ignore',
      logDir ? openSync(join(logDir, `worker-${Date.now()}.log`), 'a') : 'ignore',
      'inherit',
    ],
  });
  return child;
}

/** Appends the kill instant and pid to the log folder, to line it up with the workers' logs. */
function recordKill(pid: number | undefined): void {
  if (!logDir) return;
  appendFileSync(join(logDir, 'kill.ndjson'), `${JSON.stringify({ t: Date.now(), pid })}\n`);
}

/** A planned kill of one worker, fired by the sink's count of messages. */
interface Kill {
  due(count: number): boolean;
  /** Kills the worker and returns null, so the kill fires once. */
  fire(): null;
}

function killAt(worker: ChildProcess, count: number, killed: () => void): Kill {
  return {
    due: (seen) => seen >= count,
    fire: () => {
      recordKill(worker.pid);
      worker.kill('SIGKILL');
      killed();
      return null;
    },
  };
}

async function withTimeout(promise: Promise<void>, ms: number, failure: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${failure} within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Returns each Message-ID that arrived more than once, once. */
function repeatedIds(messageIds: string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const id of messageIds) {
    if (seen.has(id)) repeated.add(id);
    seen.add(id);
  }
  return [...repeated].sort();
}

/** Message-IDs of sent emails. */
async function sentMessageIds(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('outbox')
    .select('message_id')
    .where('type', '=', 'email')
    .where('status', '=', 'sent')
    .execute();
  return rows.map((row) => row.message_id ?? '');
}

/** Message-IDs that a later attempt recorded as sent because a killed worker had handed them over. */
async function handedOverIds(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('outbox')
    .select('message_id')
    .where('type', '=', 'email')
    .where('reason', 'like', '%reply was not seen%')
    .execute();
  return rows.map((row) => row.message_id ?? '');
}

async function sentCount(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('type', '=', 'email')
    .where('status', '=', 'sent')
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/**
 * Stores accounts whose users sit in a zone where it is now about noon, so
 * quiet hours never hold the welcome emails back whatever time the test runs.
 */
async function seedAccounts(store: Store, now: number): Promise<void> {
  const timezone = noonZone(now);
  for (let index = 0; index < accounts; index += 1) {
    const id = `e2e-${index}`;
    await upsertAccounts(store, [
      { id, name: `Account ${index}`, csm_owner: 'csm-ada', created_at: now, updated_at: now },
    ]);
    await upsertUsers(
      store,
      Array.from({ length: usersPerAccount }, (_, userIndex) => ({
        id: `${id}-u${userIndex}`,
        account_id: id,
        email: `user${userIndex}@${id}.test`,
        name: `User ${userIndex}`,
        role: 'member',
        timezone,
        created_at: now,
        updated_at: now,
      })),
    );
    await upsertContracts(store, [
      {
        id: `${id}-t1`,
        account_id: id,
        term_number: 1,
        start_at: now,
        renewal_at: now + 365 * dayMs,
        updated_at: now,
      },
    ]);
  }
}

/** Returns an Etc/GMT zone whose local hour is 12 at `now` (Etc/GMT-3 is UTC+3). */
function noonZone(now: number): string {
  let offset = 12 - new Date(now).getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  if (offset === 0) return 'Etc/GMT';
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

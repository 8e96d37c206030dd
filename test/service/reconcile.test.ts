import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startReconciliation } from '../../src/service/reconcile';
import { openStore, type Store } from '../../src/store/database';

interface LogLine {
  level: number;
  msg: string;
  ensured?: number;
  accounts?: number;
}

function capturingLogger() {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (text: string) => lines.push(JSON.parse(text)) });
  return { logger, lines };
}

async function storeWithAccounts(count: number): Promise<Store> {
  const store = await openStore(
    join(mkdtempSync(join(tmpdir(), 'uptake-reconcile-')), 'db.sqlite'),
  );
  const now = Date.now();
  const rows = Array.from({ length: count }, (_, index) => ({
    id: `a${index}`,
    name: `Account ${index}`,
    plan: null,
    csm_owner: null,
    csm_email: null,
    timezone: 'UTC',
    stage: 'onboarding' as const,
    attributes: '{}',
    created_at: now,
    updated_at: now,
  }));
  await store.db.insertInto('accounts').values(rows).execute();
  return store;
}

describe('startReconciliation', () => {
  let store: Store;
  beforeEach(async () => {
    store = await storeWithAccounts(50);
  });
  afterEach(() => store.close());

  it('ensures every account, 20 at a time', async () => {
    const { logger } = capturingLogger();
    const seen: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const ensure = async (accountId: string) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((done) => setTimeout(done, 5));
      seen.push(accountId);
      running -= 1;
    };
    await startReconciliation({ store, ensure, logger }).done;
    expect(new Set(seen).size).toBe(50);
    expect(maxRunning).toBe(20);
  });

  it('skips running workflows', async () => {
    const { logger } = capturingLogger();
    const seen: string[] = [];
    const running = new Set(Array.from({ length: 10 }, (_, index) => `account-a${index}`));
    const ensure = async (accountId: string) => void seen.push(accountId);
    await startReconciliation({ store, ensure, logger, listRunning: async () => running }).done;
    expect(seen).toHaveLength(40);
    expect(seen).not.toContain('a0');
  });

  it('ensures all when listing fails', async () => {
    const { logger } = capturingLogger();
    const seen: string[] = [];
    const ensure = async (accountId: string) => void seen.push(accountId);
    const listRunning = async (): Promise<Set<string>> => {
      throw new Error('visibility unavailable');
    };
    await startReconciliation({ store, ensure, logger, listRunning }).done;
    expect(seen).toHaveLength(50);
  });

  it('stops quietly on shutdown', async () => {
    const { logger, lines } = capturingLogger();
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((done) => (release = done));
    const ensure = async () => {
      calls += 1;
      if (calls <= 30) return;
      await gate;
      throw new Error('Channel has been shut down');
    };
    const reconciliation = startReconciliation({ store, ensure, logger });
    while (calls < 31) await new Promise((done) => setImmediate(done));
    const stopped = reconciliation.stop();
    release();
    await stopped;
    const cutShort = lines.find((line) => line.msg.includes('cut short by shutdown'));
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(cutShort?.level).toBe(30);
    expect(cutShort?.ensured).toBe(30);
    expect(cutShort?.accounts).toBe(50);
  });

  it('logs a failure outside shutdown as an error', async () => {
    const { logger, lines } = capturingLogger();
    const ensure = async () => {
      throw new Error('frontend unavailable');
    };
    await startReconciliation({ store, ensure, logger }).done;
    expect(lines.filter((line) => line.level === 50)).toHaveLength(1);
  });
});

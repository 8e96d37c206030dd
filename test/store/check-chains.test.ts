import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { listRecentChecks, recordCheck, type CheckRecord } from '../../src/lifecycle/check-store';
import { openStore, type Store } from '../../src/store/database';
import { migrationProvider } from '../../src/store/migrations';

const check = (chainId: string | undefined, checkedAt: number): CheckRecord => ({
  workflowId: 'account-acme',
  ...(chainId === undefined ? {} : { chainId }),
  checkNumber: 1,
  accountId: 'acme',
  checkedAt,
  stage: 'onboarding',
  ruleSetVersion: 'v1',
  fired: [],
  notFired: [],
  held: [],
  planned: [],
});

describe('checks of several run chains', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uptake-check-chains-'));
    const path = join(dir, 'uptake.sqlite');
    // A store made before chains were kept, holding one check.
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: new Database(path) }),
    });
    const migrator = new Migrator({ db, provider: migrationProvider });
    const before = await migrator.migrateTo('0009-task-auto-close');
    if (before.error) throw before.error;
    await db.destroy();
    store = await openStore(path);
    await recordCheck(store, check(undefined, 1_000));
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a check of each chain under one number', async () => {
    await recordCheck(store, check('chain-a', 2_000));
    await recordCheck(store, check('chain-b', 3_000));
    const checks = await listRecentChecks(store, 'acme');
    expect(checks.map((row) => row.chainId ?? '')).toEqual(['chain-b', 'chain-a', '']);
  });

  it('replaces a retried check of the same chain', async () => {
    await recordCheck(store, check('chain-a', 2_000));
    await recordCheck(store, check('chain-a', 2_500));
    const checks = await listRecentChecks(store, 'acme');
    expect(checks).toHaveLength(2);
  });
});

describe('migration of stored checks', () => {
  it('keeps a check stored before chains', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uptake-check-chains-'));
    const path = join(dir, 'uptake.sqlite');
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: new Database(path) }),
    });
    const migrator = new Migrator({ db, provider: migrationProvider });
    await migrator.migrateTo('0009-task-auto-close');
    await db
      .insertInto('checks' as never)
      .values({
        workflow_id: 'account-acme',
        check_number: 4,
        account_id: 'acme',
        checked_at: 1_000,
        stage: 'adoption',
        rule_set_version: 'v1',
      } as never)
      .execute();
    await db.destroy();
    const store = await openStore(path);
    const [stored] = await listRecentChecks(store, 'acme');
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    expect(stored).toMatchObject({ workflowId: 'account-acme', checkNumber: 4, stage: 'adoption' });
  });
});

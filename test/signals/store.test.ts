import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { computeSignals } from '../../src/signals/compute';
import {
  iterateAccountHistories,
  loadAccountHistories,
  loadAccountHistory,
} from '../../src/signals/history';
import { openStore, type Store } from '../../src/store/database';
import {
  completeMilestones,
  insertUsageEvents,
  markGoalsMet,
  upsertAccounts,
  upsertContracts,
  upsertFeatures,
  upsertGoals,
  upsertMilestones,
  upsertTickets,
  upsertUsers,
} from '../../src/store/ingest';
import type { NewUsageEvent } from '../../src/store/schema';
import { dayMs } from '../../src/store/time';

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '../..');
const start = Date.UTC(2026, 0, 5);
const asOf = start + 20 * dayMs + 12 * 3_600_000;

function event(id: string, days: number, userId: string, featureKey: string | null): NewUsageEvent {
  return {
    event_id: id,
    account_id: 'a1',
    user_id: userId,
    feature_key: featureKey,
    occurred_at: start + days * dayMs + 3_600_000,
    count: 2,
  };
}

async function seed(store: Store): Promise<void> {
  const stamp = { created_at: start, updated_at: start };
  const account = { timezone: 'UTC', attributes: '{}', ...stamp };
  await upsertAccounts(store, [
    { id: 'a1', name: 'Acme', stage: 'adoption', ...account },
    { id: 'a2', name: 'Empty', stage: 'onboarding', ...account },
  ]);
  await upsertUsers(store, [
    { id: 'u1', account_id: 'a1', role: 'admin', subscribed: 1, ...stamp },
    { id: 'u2', account_id: 'a1', role: 'analyst', subscribed: 1, ...stamp },
  ]);
  await upsertContracts(store, [
    {
      id: 'c1',
      account_id: 'a1',
      term_number: 1,
      start_at: start,
      renewal_at: start + 365 * dayMs,
      seats: 4,
      status: 'active',
      updated_at: start,
    },
  ]);
  await upsertFeatures(store, [
    { key: 'reports', name: 'Reports', released_at: start - dayMs, is_key: 1 },
    { key: 'export', name: 'Export', released_at: start - dayMs, is_key: 1 },
  ]);
  await insertUsageEvents(store, [
    event('e1', 18, 'u1', 'reports'),
    event('e2', 19, 'u2', null),
    event('e3', 20, 'u2', 'reports'),
    event('e4', 21, 'u1', 'export'),
  ]);
  await upsertMilestones(store, [
    { account_id: 'a1', key: 'kickoff', name: 'Kickoff', due_at: start + 7 * dayMs },
    { account_id: 'a1', key: 'import', name: 'Import', due_at: start + 14 * dayMs },
  ]);
  await completeMilestones(store, [
    { account_id: 'a1', key: 'kickoff', completed_at: start + 3 * dayMs },
  ]);
  await upsertGoals(store, [{ account_id: 'a1', key: 'first-report', name: 'First report' }]);
  await markGoalsMet(store, [
    { account_id: 'a1', key: 'first-report', met_at: start + 18 * dayMs },
  ]);
  await upsertTickets(store, [{ id: 't1', account_id: 'a1', opened_at: start + 2 * dayMs }]);
}

describe('signals from the store', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'uptake-signals-')), 'uptake.sqlite');
  let store: Store;

  beforeAll(async () => {
    store = await openStore(path);
    await seed(store);
  });

  afterAll(async () => {
    await store.close();
  });

  it('returns undefined for an unknown account', async () => {
    expect(await loadAccountHistory(store, 'nope')).toBeUndefined();
  });

  it('loads the rollups of the account', async () => {
    const history = await loadAccountHistory(store, 'a1');
    expect(history?.usageDaily.map((row) => row.count)).toEqual([2, 2, 2, 2]);
  });

  it('loads many accounts at once', async () => {
    const histories = await loadAccountHistories(store, ['a2', 'a1', 'missing']);
    expect([...histories.keys()].sort()).toEqual(['a1', 'a2']);
  });

  it('keeps each account to its own rows', async () => {
    const histories = await loadAccountHistories(store, ['a1', 'a2']);
    expect(histories.get('a2')?.usageDaily).toEqual([]);
  });

  it('iterates accounts in order', async () => {
    const ids: string[] = [];
    for await (const history of iterateAccountHistories(store, ['a2', 'gone', 'a1'], 1)) {
      ids.push(history.account.id);
    }
    expect(ids).toEqual(['a2', 'a1']);
  });

  describe('computed facts', () => {
    let facts: ReturnType<typeof computeSignals>;
    beforeAll(async () => {
      const history = await loadAccountHistory(store, 'a1');
      if (!history) throw new Error('account a1 was not stored');
      facts = computeSignals(history, asOf);
    });

    it('counts active days up to asOf', () => {
      expect(facts.activeDaysLast7).toBe(3);
    });

    it('counts active users', () => {
      expect(facts.activeUsersLast30).toBe(2);
    });

    it('divides by the seats', () => {
      expect(facts.seatUtilization).toBe(0.5);
    });

    it('lists key features never used', () => {
      expect(facts.keyFeaturesNeverUsed).toEqual(['export']);
    });

    it('computes onboarding completion', () => {
      expect(facts.onboardingCompletion).toBe(0.5);
    });

    it('counts overdue milestones', () => {
      expect(facts.overdueMilestones).toBe(1);
    });

    it('computes days to value', () => {
      expect(facts.daysToValue).toBe(18);
    });

    it('counts open tickets', () => {
      expect(facts.openTickets).toBe(1);
    });
  });

  describe('uptake signals', () => {
    const cli = (args: string[]) =>
      run(process.execPath, ['bin/uptake.js', 'signals', ...args, '--db', path], { cwd: repoRoot });

    it('prints the facts as JSON', async () => {
      const { stdout } = await cli(['a1', '--as-of', '2026-01-25T12:00:00Z', '--json']);
      expect(JSON.parse(stdout)).toMatchObject({ accountId: 'a1', activeDaysLast7: 3 });
    });

    it('adds learned adopter categories', async () => {
      const { stdout } = await cli(['a1', '--as-of', '2026-01-25', '--json']);
      expect(Object.keys(JSON.parse(stdout).adopterCategories)).toEqual(['reports']);
    });

    it('leaves learned facts out on request', async () => {
      const { stdout } = await cli(['a1', '--as-of', '2026-01-25', '--json', '--no-learned']);
      expect(JSON.parse(stdout).adopterCategories).toEqual({});
    });

    it('prints a table by default', async () => {
      const { stdout } = await cli(['a1', '--as-of', '2026-01-25']);
      expect(stdout).toMatch(/^activeDaysLast30\s+3$/m);
    });

    it('rejects an unknown account', async () => {
      await expect(cli(['nope', '--as-of', '2026-01-25'])).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('Account "nope" not found'),
      });
    });

    it('leads the JSON with asOf', async () => {
      const { stdout } = await cli(['a1', '--as-of', '2026-01-25T12:00:00Z', '--json']);
      expect(JSON.parse(stdout).asOf).toBe('2026-01-25T12:00:00.000Z');
    });

    it('keeps the account id in the JSON', async () => {
      const { stdout } = await cli(['a1', '--as-of', '2026-01-25', '--json', '--no-learned']);
      expect(JSON.parse(stdout).accountId).toBe('a1');
    });

    it('rejects a date before the account existed', async () => {
      await expect(cli(['a1', '--as-of', '2025-12-31'])).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining(
          'Account "a1" did not exist on 2025-12-31: it was created on 2026-01-05. ' +
            'Pick an as-of date on or after 2026-01-05.',
        ),
      });
    });

    it('accepts the creation day', async () => {
      const { stdout } = await cli(['a1', '--as-of', '2026-01-05', '--json', '--no-learned']);
      expect(JSON.parse(stdout).accountAgeDays).toBe(0);
    });

    it('rejects an invalid date', async () => {
      await expect(cli(['a1', '--as-of', '25/01/2026'])).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('Invalid --as-of value "25/01/2026"'),
      });
    });
  });
});

describe('uptake signals with a file that is not a store', () => {
  const notStore = join(mkdtempSync(join(tmpdir(), 'uptake-signals-')), 'notes.txt');
  let stderr = '';
  let code: unknown;

  beforeAll(async () => {
    writeFileSync(notStore, 'not a database\n');
    const args = ['bin/uptake.js', 'signals', 'a1', '--as-of', '2026-01-25', '--db', notStore];
    await run(process.execPath, args, { cwd: repoRoot }).catch((error: unknown) => {
      ({ stderr, code } = error as { stderr: string; code: unknown });
    });
  });

  it('exits with 1', () => {
    expect(code).toBe(1);
  });

  it('names the file', () => {
    expect(stderr).toContain(`Cannot open ${notStore} as an Uptake store`);
  });

  it('says how to fix it', () => {
    expect(stderr).toContain('Pass --db <path> with an SQLite store file');
  });

  it('leaves the file as it was', () => {
    expect(readFileSync(notStore, 'utf8')).toBe('not a database\n');
  });
});

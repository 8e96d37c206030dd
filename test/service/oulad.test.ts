import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { silentLogger } from '../../src/logger';
import { loadConfig } from '../../src/service/config';
import { importDemoData } from '../../src/service/demo-data';
import { waitForPlaybook } from '../../src/service/demo-report';
import { startService, type RunningService } from '../../src/service/service';
import { openStore } from '../../src/store/database';
import { upsertAccounts } from '../../src/store/ingest';
import { freePort } from './free-port';

const data = resolve(__dirname, '../../../shared/data/oulad');
const mapping = resolve(__dirname, '../../examples/oulad/mapping.json');

/** The fixed subset: every registration of module AAA, presentation 2014J (starts 2014-10-01). */
const courseModule = 'AAA';
const presentation = '2014J';
/** Day 60 of the presentation becomes today. */
const todayOffset = 60;
const asToday = '2014-11-30';

async function copyFiltered(file: string, target: string, keep: (fields: string[]) => boolean) {
  const lines: string[] = [];
  const input = createInterface({ input: createReadStream(join(data, file)) });
  let header = true;
  for await (const line of input) {
    if (header || keep(line.split(',').map((field) => field.replace(/^"|"$/g, ''))))
      lines.push(line);
    header = false;
  }
  writeFileSync(join(target, file), lines.join('\n') + '\n');
}

/** Returns a fixed-offset zone whose local hour is `hour` now, e.g. Etc/GMT-3 at 09:00 UTC. */
function zoneAtLocalHour(hour: number): string {
  const offset = hour - new Date().getUTCHours();
  return offset >= 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/** Writes the CSV files of the subset into a temporary folder, leaving the shared data untouched. */
async function writeSubset(): Promise<string> {
  const target = mkdtempSync(join(tmpdir(), 'uptake-oulad-'));
  const ofPresentation = (fields: string[]) =>
    fields[0] === courseModule && fields[1] === presentation;
  const assessments = new Set(
    readFileSync(join(data, 'assessments.csv'), 'utf8')
      .split('\n')
      .map((line) => line.split(',').map((field) => field.replace(/^"|"$/g, '')))
      .filter(ofPresentation)
      .map((fields) => fields[2]),
  );
  await copyFiltered('courses.csv', target, ofPresentation);
  await copyFiltered('assessments.csv', target, ofPresentation);
  await copyFiltered(
    'vle.csv',
    target,
    (fields) => fields[1] === courseModule && fields[2] === presentation,
  );
  await copyFiltered('studentInfo.csv', target, ofPresentation);
  await copyFiltered('studentRegistration.csv', target, ofPresentation);
  await copyFiltered('studentAssessment.csv', target, (fields) => assessments.has(fields[0]));
  await copyFiltered('studentVle.csv', target, ofPresentation);
  return target;
}

/** Registrations of the subset with the day they withdrew (null when they did not) and the result. */
function readOutcomes(folder: string): Map<string, { withdrawDay: number | null; result: string }> {
  const results = new Map(
    readFileSync(join(folder, 'studentInfo.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',').map((field) => field.replace(/^"|"$/g, '')))
      .map((fields) => [fields[2], fields[11] ?? ''] as const),
  );
  const outcomes = new Map<string, { withdrawDay: number | null; result: string }>();
  for (const line of readFileSync(join(folder, 'studentRegistration.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)) {
    const fields = line.split(',').map((field) => field.replace(/^"|"$/g, ''));
    const student = fields[2] as string;
    const withdrawDay = fields[4] ? Number(fields[4]) : null;
    outcomes.set(`${courseModule}-${presentation}-${student}`, {
      withdrawDay,
      result: results.get(student) ?? '',
    });
  }
  return outcomes;
}

describe('service on OULAD AAA 2014J', () => {
  let service: RunningService;
  let folder: string;

  beforeAll(async () => {
    folder = await writeSubset();
    const dataDir = mkdtempSync(join(tmpdir(), 'uptake-oulad-service-'));
    const load = loadConfig({
      UPTAKE_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
    });
    if (!load.ok) throw new Error(load.errors.join('\n'));
    const store = await openStore(load.config.dbPath);
    const report = await importDemoData(store, {
      data: folder,
      mapping,
      asToday,
      logger: silentLogger,
    });
    expect(report.rejected).toBe(0);
    // The dataset names no tutor, and CSM tasks need an owner: one tutor looks after the module.
    // Emails wait out quiet hours, so the students live where it is midday while the test runs.
    const accounts = await store.db.selectFrom('accounts').selectAll().execute();
    await upsertAccounts(
      store,
      accounts.map((account) => ({
        ...account,
        csm_owner: 'tutor-aaa',
        timezone: zoneAtLocalHour(12),
      })),
    );
    await store.close();

    service = await startService(load.config, silentLogger);
    await service.reconciled;
    await waitForPlaybook(service.store, 400_000);
  }, 600_000);

  afterAll(async () => {
    await service?.close();
  });

  async function rows<T>(query: string): Promise<T[]> {
    return (await sql<T>`${sql.raw(query)}`.execute(service.store.db)).rows;
  }

  it('checks every account', async () => {
    const [counts] = await rows<{ accounts: number; checked: number }>(
      'select (select count(*) from accounts) as accounts, (select count(distinct account_id) from checks) as checked',
    );
    expect(counts?.accounts).toBe(365);
    expect(counts?.checked).toBe(365);
  });

  it('creates the planned tasks per rule', async () => {
    const planned = await rows<{ planned: string }>('select planned from checks');
    const expected: Record<string, Set<string>> = {};
    for (const check of planned) {
      for (const action of JSON.parse(check.planned) as {
        type: string;
        ruleId: string;
        accountId: string;
      }[]) {
        if (action.type === 'task') (expected[action.ruleId] ??= new Set()).add(action.accountId);
      }
    }
    const stored = await rows<{ rule_id: string; n: number }>(
      'select rule_id, count(*) as n from tasks group by rule_id',
    );
    const actual = Object.fromEntries(stored.map((row) => [row.rule_id, Number(row.n)]));
    const expectedCounts = Object.fromEntries(
      Object.entries(expected).map(([rule, ids]) => [rule, ids.size]),
    );
    expect(actual).toEqual(expectedCounts);
    expect(Object.keys(actual).length).toBeGreaterThan(0);
  });

  describe('students without an address', () => {
    // OULAD has no email addresses, so each email a rule plans is held back with the reason
    // when the account is checked, and none reaches the outbox as sent.
    it('hold back the emails with a reason', async () => {
      const [held] = await rows<{ count: number }>(
        'select count(*) as count from checks, json_each(checks.held) as entry ' +
          "where json_extract(entry.value, '$.reason') = 'user has no email address'",
      );
      expect(held?.count).toBeGreaterThan(0);
    });

    it('get no email', async () => {
      const sent = await rows<{ status: string }>(
        "select status from outbox where type = 'email' and status = 'sent'",
      );
      expect(sent).toHaveLength(0);
    });
  });

  it('flags later withdrawals more often than passes', async () => {
    const outcomes = readOutcomes(folder);
    const flagged = new Set(
      (await rows<{ account_id: string }>('select distinct account_id from tasks')).map(
        (row) => row.account_id,
      ),
    );
    const laterWithdrawn = [...outcomes].filter(
      ([, o]) => o.result === 'Withdrawn' && o.withdrawDay !== null && o.withdrawDay > todayOffset,
    );
    const passed = [...outcomes].filter(
      ([, o]) => o.result === 'Pass' || o.result === 'Distinction',
    );
    const share = (group: typeof passed) =>
      group.filter(([id]) => flagged.has(id)).length / group.length;

    expect(laterWithdrawn.length).toBeGreaterThan(10);
    expect(passed.length).toBeGreaterThan(100);
    expect(share(laterWithdrawn)).toBeGreaterThan(share(passed));
  });
});

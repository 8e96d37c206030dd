import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { importPath } from '../../src/import/importer';
import { loadMapping } from '../../src/import/mapping';
import type { ImportReport } from '../../src/import/report';
import { openStore, type Store } from '../../src/store/database';

const data = resolve(__dirname, '../../../shared/data');
const examples = resolve(__dirname, '../../examples');

async function count(store: Store, query: string): Promise<number> {
  const result = await sql<{ n: number }>`${sql.raw(query)}`.execute(store.db);
  return Number(result.rows[0]?.n);
}

async function importInto(dataset: string): Promise<{ store: Store; report: ImportReport }> {
  const store = await openStore(
    join(mkdtempSync(join(tmpdir(), `uptake-${dataset}-`)), 's.sqlite'),
  );
  const mapping = loadMapping(join(examples, dataset, 'mapping.json'));
  const report = await importPath(store, join(data, dataset), mapping, { now: 0 });
  return { store, report };
}

/*
 * Expected numbers were worked out from the CSV files with a separate Python script
 * (csv.DictReader over each file), not with the importer.
 */
describe('OULAD import', () => {
  let store: Store;
  let report: ImportReport;
  beforeAll(async () => {
    ({ store, report } = await importInto('oulad'));
  }, 600_000);
  afterAll(async () => {
    await store.close();
  });

  it('rejects nothing', () => {
    expect(report.rejected).toBe(0);
  });

  it('one account, user and term per registration', async () => {
    // studentRegistration.csv has 32,593 data rows, all distinct (module, presentation, student).
    expect(await count(store, 'select count(*) as n from accounts')).toBe(32_593);
    expect(await count(store, 'select count(*) as n from users')).toBe(32_593);
    expect(await count(store, 'select count(*) as n from contracts')).toBe(32_593);
  });

  it('activity types become features', async () => {
    // Distinct activity_type values in vle.csv.
    expect(await count(store, 'select count(*) as n from features')).toBe(20);
  });

  it('every click row is one event', async () => {
    // All 753,564 studentVle.csv rows join a registration; sum_click totals 2,594,563.
    expect(report.eventsInserted).toBe(753_564);
    expect(await count(store, 'select sum(count) as n from usage_events')).toBe(2_594_563);
    expect(await count(store, 'select sum(count) as n from usage_daily')).toBe(2_594_563);
  });

  it('term outcomes', async () => {
    const outcome = (name: string) =>
      count(store, `select count(*) as n from contracts where outcome = '${name}'`);
    // Withdrawn with an unregistration day 10,063, Withdrawn without one 93, Fail with one 9.
    expect(await outcome('churned')).toBe(10_165);
    // Pass 12,361 + Distinction 3,024.
    expect(await outcome('renewed')).toBe(15_385);
    // Fail without an unregistration day.
    expect(await outcome('lapsed')).toBe(7_043);
  });

  it('assessments become milestones', async () => {
    // Assessments of each registration's presentation (323,925) plus one onboarding milestone each.
    expect(await count(store, 'select count(*) as n from milestones')).toBe(356_518);
    // 173,912 submissions, plus 25,843 registrations with at least one submission.
    expect(await count(store, 'select count(completed_at) as n from milestones')).toBe(199_755);
    expect(
      await count(
        store,
        "select count(completed_at) as n from milestones where key = 'onboarding'",
      ),
    ).toBe(25_843);
  });

  it('one student by hand', async () => {
    const id = "'AAA-2013J-28400'";
    const onboarded = await count(
      store,
      `select completed_at as n from milestones where account_id = ${id} and key = 'onboarding'`,
    );
    const renewal = await count(store, `select renewal_at as n from contracts where id = ${id}`);
    // First submission on day 22 of AAA 2013J, which starts 2013-10-01 and lasts 268 days.
    expect(onboarded).toBe(Date.UTC(2013, 9, 23));
    expect(renewal).toBe(Date.UTC(2014, 5, 26));
    // 430 click rows, 1,435 clicks on 80 distinct days.
    expect(
      await count(store, `select count(*) as n from usage_events where account_id = ${id}`),
    ).toBe(430);
    expect(
      await count(store, `select sum(count) as n from usage_daily where account_id = ${id}`),
    ).toBe(1_435);
    expect(
      await count(
        store,
        `select count(distinct day) as n from usage_daily where account_id = ${id}`,
      ),
    ).toBe(80);
  });
});

describe('RavenStack import', () => {
  let store: Store;
  let report: ImportReport;
  beforeAll(async () => {
    ({ store, report } = await importInto('ravenstack'));
  }, 120_000);
  afterAll(async () => {
    await store.close();
  });

  it('accounts, terms, tickets', async () => {
    expect(await count(store, 'select count(*) as n from accounts')).toBe(500);
    expect(await count(store, 'select count(*) as n from contracts')).toBe(5_000);
    expect(await count(store, 'select count(*) as n from tickets')).toBe(2_000);
    // support_tickets.csv: 825 empty satisfaction_score fields.
    expect(await count(store, 'select count(satisfaction) as n from tickets')).toBe(1_175);
  });

  it('feature usage becomes events', async () => {
    // usage_id repeats 21 times with different rows, so the event key adds subscription_id.
    // 2 of the 25,000 rows have usage_count 0, which the mapping skips.
    expect(report.eventsInserted).toBe(24_998);
    expect(await count(store, 'select sum(count) as n from usage_events')).toBe(250_525);
    expect(await count(store, 'select count(*) as n from features')).toBe(40);
  });

  it('terms numbered by start date', async () => {
    // The account with the most subscriptions has 19.
    expect(await count(store, 'select max(term_number) as n from contracts')).toBe(19);
  });

  it('churn flags and events give outcomes', async () => {
    const outcome = (name: string) =>
      count(store, `select count(*) as n from contracts where outcome = '${name}'`);
    // churn_flag TRUE (486) plus the latest term started by each churn_date of churn_events.csv.
    expect(await outcome('churned')).toBe(933);
    // upgrade_flag TRUE on terms not churned.
    expect(await outcome('expanded')).toBe(436);
    expect(await count(store, 'select count(*) as n from contracts where outcome is null')).toBe(
      3_631,
    );
  });

  it('churn events before any term are rejected', () => {
    // 53 churn events fall before the account's first subscription starts.
    expect(report.rejected).toBe(53);
    expect(report.rejections[0]?.column).toBe('churn_date');
  });

  it('rejection names the entity', () => {
    expect(report.rejections[0]?.reason).toMatch(/^termOutcome: no contract of account/);
  });

  it('churn feedback of kept rows only', async () => {
    // 452 churn_events.csv rows have a non-empty feedback_text; 40 of them are among the 53
    // rejected rows, whose entities are all left out.
    expect(await count(store, 'select count(*) as n from feedback')).toBe(412);
  });

  it('re-import adds nothing', async () => {
    const again = await importPath(
      store,
      join(data, 'ravenstack'),
      loadMapping(join(examples, 'ravenstack/mapping.json')),
      { now: 0 },
    );

    expect(again.eventsInserted).toBe(0);
    expect(again.changes.account).toEqual({ inserted: 0, updated: 0, unchanged: 500 });
    expect(again.changes.ticket).toEqual({ inserted: 0, updated: 0, unchanged: 2_000 });
    // 97 terms get an outcome from subscriptions.csv that churn_events.csv then replaces, so a
    // second run writes them twice again; no contract is new.
    expect(again.changes.contract?.inserted).toBe(0);
    expect(again.changes.contract?.updated).toBe(97);
    expect(await count(store, 'select count(*) as n from usage_events')).toBe(24_998);
    expect(await count(store, 'select sum(count) as n from usage_daily')).toBe(250_525);
    expect(await count(store, 'select count(*) as n from contracts')).toBe(5_000);
  });
});

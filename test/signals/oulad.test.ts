import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importPath } from '../../src/import/importer';
import { loadMapping } from '../../src/import/mapping';
import type { AccountFacts } from '../../src/signals/catalog';
import { computeSignals } from '../../src/signals/compute';
import { loadAccountHistory } from '../../src/signals/history';
import { openStore, type Store } from '../../src/store/database';
import { parseInstant } from '../../src/store/time';

/*
 * Signals of three AAA 2013J students, checked against values worked out from
 * the CSV rows. The mapping anchors 2013J at 2013-10-01, so "day D" below is
 * the OULAD date offset D and the asOf instant 2013-10-01 + D days, 00:00 UTC.
 * In the awk commands, run in the OULAD folder with -F'"', studentVle.csv
 * fields are $2 module, $4 presentation, $6 student, $8 site, $10 date and
 * $12 clicks, and vle.csv fields are $2 site and $8 activity type.
 *
 * activeDaysLast30 (days D-29..D):
 *   awk -F'"' -v s=11391 -v d=60 '$2=="AAA" && $4=="2013J" && $6==s && $10>d-30 && $10<=d
 *     {print $10}' studentVle.csv | sort -u | wc -l
 * activeDaysLast7: the same with $10>d-7.
 * featuresUsedLast30: the activity types of those rows:
 *   awk -F'"' -v s=11391 -v d=60 'NR==FNR {type[$2]=$8; next} $2=="AAA" && $4=="2013J" &&
 *     $6==s && $10>d-30 && $10<=d {print type[$8]}' vle.csv studentVle.csv | sort -u | wc -l
 * daysSinceLastActive: D minus the largest $10 <= D of the student.
 * usageTrend: clicks ($12) summed over days D-13..D, divided by those over D-27..D-14.
 * cadence: distinct active days in D-27..D, divided by 4 weeks.
 * onboardingCompletion: the mapping gives each student 7 milestones, the 6
 *   assessments of AAA 2013J (ids 1752..1757, due days 19, 54, 117, 166, 215
 *   and an exam without a date) plus "onboarding", completed by the first
 *   submission. Only "onboarding" counts toward onboarding, and all 7 count
 *   toward overdueMilestones. Submissions of the student come from
 *   awk -F'"' '$4=="11391" && $2>=1752 && $2<=1757 {print $2, $6}' studentAssessment.csv
 *
 * Student 11391 active days up to 60: -5 0 1 2 6 9 17 18 29 30 31 37 40 47 48 50 53 54;
 *   submissions 1752 on day 18, 1753 on day 53.
 * Student 28400 active days 31..60: 32 33 34 47 49 52 53; submissions 1752 on 22, 1753 on 52.
 * Student 30268 unregistered on day 12, active days -10 -9 -8 -3 -2 -1 4 5 6 9 11 12,
 *   no submissions.
 */

const ouladFolder = resolve(__dirname, '../../../shared/data/oulad');
const students = ['11391', '28400', '30268'];
const aaa2013jAssessments = new Set(['1752', '1753', '1754', '1755', '1756', '1757']);

/** Copies the AAA 2013J rows into a temp folder, with clicks of the chosen students only. */
function writeSlice(folder: string): void {
  const keep = (file: string, test: (line: string) => boolean) => {
    const [header, ...rows] = readFileSync(join(ouladFolder, file), 'utf8').split(/\r?\n/);
    const kept = rows.filter((line) => line !== '' && test(line));
    writeFileSync(join(folder, file), [header, ...kept, ''].join('\n'));
  };
  const inPresentation = (line: string) => line.startsWith('"AAA","2013J",');
  for (const file of ['courses.csv', 'assessments.csv', 'studentInfo.csv']) {
    keep(file, inPresentation);
  }
  keep('studentRegistration.csv', inPresentation);
  keep('vle.csv', (line) => line.includes(',"AAA","2013J",'));
  keep('studentAssessment.csv', (line) =>
    aaa2013jAssessments.has(line.split(',')[0]!.slice(1, -1)),
  );
  keep(
    'studentVle.csv',
    (line) =>
      inPresentation(line) && students.some((id) => line.startsWith(`"AAA","2013J","${id}",`)),
  );
}

describe('signals on OULAD AAA 2013J', () => {
  let store: Store;

  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'uptake-oulad-'));
    const slice = join(folder, 'oulad');
    mkdirSync(slice);
    writeSlice(slice);
    store = await openStore(join(folder, 'uptake.sqlite'));
    const mapping = loadMapping(resolve(__dirname, '../../examples/oulad/mapping.json'));
    const report = await importPath(store, slice, mapping);
    if (report.rejected > 0) throw new Error(`import rejected ${report.rejected} rows`);
  });

  afterAll(async () => {
    await store.close();
  });

  async function factsOf(student: string, date: string): Promise<AccountFacts> {
    const history = await loadAccountHistory(store, `AAA-2013J-${student}`);
    if (!history) throw new Error(`student ${student} was not imported`);
    return computeSignals(history, parseInstant(date)!);
  }

  describe('student 11391 on day 60', () => {
    let facts: AccountFacts;
    beforeAll(async () => {
      facts = await factsOf('11391', '2013-11-30');
    });

    it('has 8 active days in 30', () => {
      expect(facts.activeDaysLast30).toBe(8);
    });

    it('has 1 active day in 7', () => {
      expect(facts.activeDaysLast7).toBe(1);
    });

    it('used 4 activity types', () => {
      expect(facts.featuresUsedLast30).toBe(4);
    });

    it('was last active 6 days ago', () => {
      expect(facts.daysSinceLastActive).toBe(6);
    });

    it('has a trend of 42 / 60 clicks', () => {
      expect(facts.usageTrend).toBeCloseTo(0.7, 10);
    });

    it('completed onboarding', () => {
      expect(facts.onboardingCompletion).toBe(1);
    });

    it('onboarded on day 18', () => {
      expect(facts.daysToOnboard).toBe(18);
    });

    it('has no overdue milestone', () => {
      expect(facts.overdueMilestones).toBe(0);
    });

    it('was active 7 days in 4 weeks', () => {
      expect(facts.userCadence[0]?.activeDaysPerWeek).toBe(1.75);
    });

    it('is 208 days from the end', () => {
      // The presentation lasts 268 days.
      expect(facts.daysToRenewal).toBe(208);
    });
  });

  describe('student 11391 around day 53', () => {
    it('counts clicks on the asOf day', async () => {
      expect((await factsOf('11391', '2013-11-24')).daysSinceLastActive).toBe(0);
    });

    it('counts 4 active days in 7 on day 54', async () => {
      expect((await factsOf('11391', '2013-11-24')).activeDaysLast7).toBe(4);
    });
  });

  describe('student 11391 around day 18', () => {
    it('counts a submission on the asOf day', async () => {
      expect((await factsOf('11391', '2013-10-19')).onboardingCompletion).toBe(1);
    });

    it('ignores a submission the day after', async () => {
      expect((await factsOf('11391', '2013-10-18')).onboardingCompletion).toBe(0);
    });
  });

  describe('student 28400 on day 60', () => {
    let facts: AccountFacts;
    beforeAll(async () => {
      facts = await factsOf('28400', '2013-11-30');
    });

    it('has 7 active days in 30', () => {
      expect(facts.activeDaysLast30).toBe(7);
    });

    it('has no active day in 7', () => {
      expect(facts.activeDaysLast7).toBe(0);
    });

    it('used 5 activity types', () => {
      expect(facts.featuresUsedLast30).toBe(5);
    });

    it('was last active 7 days ago', () => {
      expect(facts.daysSinceLastActive).toBe(7);
    });

    it('has a trend of 44 / 5 clicks', () => {
      expect(facts.usageTrend).toBeCloseTo(8.8, 10);
    });
  });

  describe('withdrawn student 30268 on day 20', () => {
    let facts: AccountFacts;
    beforeAll(async () => {
      facts = await factsOf('30268', '2013-10-21');
    });

    it('has 11 active days in 30', () => {
      expect(facts.activeDaysLast30).toBe(11);
    });

    it('was last active 8 days ago', () => {
      expect(facts.daysSinceLastActive).toBe(8);
    });

    it('has a trend of 72 / 195 clicks', () => {
      expect(facts.usageTrend).toBeCloseTo(72 / 195, 10);
    });

    it('completed no milestone', () => {
      expect(facts.onboardingCompletion).toBe(0);
    });

    it('has the day-19 assessment overdue', () => {
      expect(facts.overdueMilestones).toBe(1);
    });

    it('was active 9 days in 4 weeks', () => {
      expect(facts.userCadence[0]?.activeDaysPerWeek).toBe(2.25);
    });
  });
});

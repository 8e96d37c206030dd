import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { evaluateRules } from '../../src/rules/evaluate';
import { defaultFixtureFacts } from '../../src/rules/fixture-facts';
import { listFixtureFiles, runFixtures } from '../../src/rules/fixtures';
import { loadRuleSet } from '../../src/rules/load';
import { lifecycleStages, type RuleSet } from '../../src/rules/types';

const root = resolve(__dirname, '../..');
const rulesDir = join(root, 'rules');
// The templates belong to the delivery area, so these tests check the rules alone.
const templateExists = () => true;

function playbook(): RuleSet {
  const load = loadRuleSet(rulesDir, { templateExists });
  if (!load.ok) throw new Error(JSON.stringify(load.errors, null, 2));
  return load.ruleSet;
}

function runCli(...args: string[]) {
  return spawnSync(process.execPath, [join(root, 'bin/uptake.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
}

describe('default playbook', () => {
  const ruleSet = playbook();

  it('has the twelve playbook rules', () => {
    expect(ruleSet.rules.map((rule) => rule.definition.id).sort()).toEqual([
      'activity-falling',
      'early-adopter-feedback',
      'early-ticket-surge',
      'healthy-renewal-reference',
      'key-features-never-used',
      'login-cadence-below-role',
      'new-feature-not-tried',
      'no-goal-by-time-to-value',
      'onboarding-milestone-overdue',
      'renewal-30-behind',
      'renewal-60-behind',
      'renewal-90-behind',
    ]);
  });

  it('has a fixture file for every rule', () => {
    const files = listFixtureFiles(rulesDir).map((file) => file.split('/').pop());
    for (const rule of ruleSet.rules) expect(files).toContain(`${rule.definition.id}.json`);
  });

  it('passes its fixtures', () => {
    const { results, errors } = runFixtures(rulesDir, ruleSet);
    expect(errors).toEqual([]);
    expect(results.filter((result) => !result.passed)).toEqual([]);
  });

  it('fires nothing on the default fixture facts', () => {
    for (const stage of lifecycleStages) {
      expect(evaluateRules(defaultFixtureFacts, stage, ruleSet).fired).toEqual([]);
    }
  });
});

describe('uptake rules', () => {
  it('validates the playbook', () => {
    const run = runCli('rules', 'validate', 'rules');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/12 rules in 13 files are valid/);
  });

  it('exits 1 naming the bad file', () => {
    const run = runCli('rules', 'validate', 'test/rules/corpus/unknown-fact');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^test\/rules\/corpus\/unknown-fact\/rule\.json: \$\.conditions\.all\[0\]\.fact: unknown fact/m,
    );
  });

  it('rejects an empty folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uptake-no-rules-'));
    const result = runCli('rules', 'validate', dir, '--templates', join(root, 'templates'));

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`no rule files (*.json) in ${dir}`);
  });

  it('reads UPTAKE_RULES_DIR without an argument', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uptake-env-rules-'));
    const result = spawnSync(process.execPath, [join(root, 'bin/uptake.js'), 'rules', 'validate'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, UPTAKE_RULES_DIR: dir, UPTAKE_TEMPLATES_DIR: join(root, 'templates') },
    });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`no rule files (*.json) in ${dir}`);
  });

  it('prints a diff for a failing fixture', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uptake-fixtures-'));
    cpSync(rulesDir, join(dir, 'rules'), { recursive: true });
    const failing = {
      cases: [
        {
          name: 'expects a nudge',
          stage: 'adoption',
          facts: { usersBelowCadence: 0 },
          expectActions: [
            { rule: 'login-cadence-below-role', type: 'email', template: 'cadence-nudge' },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'rules', 'nudge.test.json'), JSON.stringify(failing));
    const run = runCli('rules', 'test', join(dir, 'rules'), '--templates', join(root, 'templates'));
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/FAIL .*nudge\.test\.json > expects a nudge/);
    expect(run.stdout).toMatch(
      /- login-cadence-below-role email cadence-nudge {3}\(expected, missing\)/,
    );
    expect(run.stdout).toMatch(
      /login-cadence-below-role: usersBelowCadence greaterThan 0 was false \(fact value 0\)/,
    );
  });

  it('prints a JSON Schema with the fact names', () => {
    const run = runCli('rules', 'schema');
    const schema = JSON.stringify(JSON.parse(run.stdout));
    expect(run.status).toBe(0);
    expect(schema).toContain('"activeDaysLast30"');
    expect(schema).toContain('"percentileBelow"');
  });
});

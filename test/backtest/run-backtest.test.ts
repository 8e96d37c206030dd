import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { formatBacktestReport } from '../../src/backtest/format-report';
import { checkRiskRuleIds } from '../../src/backtest/load-rules';
import { runBacktest } from '../../src/backtest/run-backtest';
import type { RuleEngine } from '../../src/lifecycle/rule-engine';
import type { FiredRule } from '../../src/lifecycle/types';
import type { Store } from '../../src/store/database';
import { dayMs } from '../../src/store/time';
import { createPortfolioStore, fixtureStart } from '../learn/portfolio-fixture';

/** Two rules: a CSM task when the last week had under two active days, a notice in onboarding. */
const rules: RuleEngine = {
  current: () => ({ ok: true, version: 'test-v1', ruleSet: null }),
  evaluate: (facts, stage) => {
    const fired: FiredRule[] = [];
    if (facts.accountAgeDays >= 14 && facts.activeDaysLast7 < 2) {
      fired.push({
        id: 'inactive-week',
        priority: 5,
        actions: [{ type: 'task', params: { title: 'Call' } }],
        audience: { csm: true },
        cooldownDays: 7,
      });
    }
    if (stage === 'onboarding') {
      fired.push({
        id: 'welcome',
        priority: 1,
        actions: [{ type: 'notice', template: 'welcome', params: {} }],
        audience: { users: {} },
        limitPerTerm: 1,
      });
    }
    return { fired, notFired: [] };
  },
};

const settings = {
  from: fixtureStart,
  // The fixture has no usage after the 120-day term, so the window ends with it.
  to: fixtureStart + 119 * dayMs,
  rules,
  ruleSet: { version: 'test-v1', ruleSet: null },
};

describe('runBacktest', () => {
  let store: Store;

  beforeAll(async () => {
    store = await createPortfolioStore(20);
  });
  afterAll(async () => store.close());

  it('gives the same report twice', async () => {
    const first = await runBacktest(store, settings);
    const second = await runBacktest(store, settings);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('flags every churned account before churn', async () => {
    const report = await runBacktest(store, settings);
    expect(report.risk.churnedAccounts).toBe(10);
    expect(report.risk.recall).toBe(1);
  });

  it('flags no renewed account', async () => {
    const report = await runBacktest(store, settings);
    expect(report.risk.precision).toBe(1);
  });

  it('measures lead time from the first flag', async () => {
    // Activity drops to once a week from day 30, so the first flag comes within a week of it.
    const report = await runBacktest(store, settings);
    expect(report.risk.medianLeadDays).toBeGreaterThanOrEqual(53);
    expect(report.risk.medianLeadDays).toBeLessThanOrEqual(60);
  });

  it('lists whom a rule fired for', async () => {
    const report = await runBacktest(store, settings);
    const inactive = report.rules.find((rule) => rule.ruleId === 'inactive-week');
    expect(inactive?.accounts).toContain('acct-001');
    expect(inactive?.accounts).not.toContain('acct-000');
  });

  it('respects the per-term limit', async () => {
    const report = await runBacktest(store, settings);
    const welcome = report.rules.find((rule) => rule.ruleId === 'welcome');
    expect(welcome?.planned).toBe(20);
  });

  it('uses a configured risk list', async () => {
    const report = await runBacktest(store, { ...settings, riskRuleIds: ['welcome'] });
    expect(report.risk.riskRules).toEqual(['welcome']);
  });

  it('counts held risk actions per reason', async () => {
    const report = await runBacktest(store, settings);
    const held = report.rules.find((rule) => rule.ruleId === 'inactive-week')?.held ?? 0;
    expect(held).toBeGreaterThan(0);
    expect(report.risk.heldReasons).toEqual({ 'cooldown of 7 days': held });
  });

  it('counts held actions per reason per rule', async () => {
    const report = await runBacktest(store, settings);
    const welcome = report.rules.find((rule) => rule.ruleId === 'welcome');
    expect(welcome?.heldReasons).toEqual({ 'limit of 1 per term reached': welcome?.held });
  });

  it('rejects an empty window', async () => {
    await expect(runBacktest(store, { ...settings, to: settings.from - dayMs })).rejects.toThrow(
      'window is empty',
    );
  });
});

describe('formatBacktestReport', () => {
  it('lists held risk actions per reason', () => {
    const text = formatBacktestReport({
      from: '2024-01-01T00:00:00.000Z',
      to: '2024-02-01T00:00:00.000Z',
      ruleSetVersion: 'v1',
      accounts: 1,
      accountDays: 31,
      checks: 31,
      rules: [],
      risk: {
        riskRules: ['inactive-week'],
        flaggedAccounts: 1,
        churnedAccounts: 0,
        precision: 0,
        recall: null,
        medianLeadDays: null,
        heldReasons: { 'cooldown of 7 days': 4 },
      },
    });
    expect(text).toContain('held risk-rule actions, per reason:');
    expect(text).toMatch(/\n\s+cooldown of 7 days +4$/);
  });
});

describe('checkRiskRuleIds', () => {
  it('rejects an unknown id', () => {
    expect(() => checkRiskRuleIds(['nosuchrule'], ['a', 'b'])).toThrow(
      'Unknown rule id(s) in --risk-rules: nosuchrule. Known rule ids: a, b.',
    );
  });

  it('makes the CLI exit 1', () => {
    const cli = resolve(__dirname, '../../bin/uptake.js');
    const args = ['backtest', '--from', '2014-01-01', '--to', '2014-02-01'];
    const result = spawnSync(process.execPath, [cli, ...args, '--risk-rules', 'nosuchrule'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Unknown rule id(s) in --risk-rules: nosuchrule.');
    expect(result.stderr).toContain('activity-falling');
  });

  it('accepts known ids', () => {
    expect(() => checkRiskRuleIds(['b'], ['a', 'b'])).not.toThrow();
  });
});

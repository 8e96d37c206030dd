import { ApplicationFailure } from '@temporalio/common';
import { join } from 'node:path';
import { createCheckActivities } from '../../activities/check';
import { initialState } from '../../src/lifecycle';
import { silentLogger } from '../../src/logger';
import { loadRuleEngine, templatesDir, yearRulesDir } from '../workflows/helpers/rule-folders';
import { openTempStore, seedYearAccount, type TempStore } from '../workflows/helpers/account-store';
import { createRuleEngine } from '../../src/lifecycle/rules-adapter';
import { RuleSetWatcher } from '../../src/rules/watcher';
import { createTemplateChecker } from '../../src/rules/template-check';

const start = Date.UTC(2026, 0, 5, 12);

describe('checkAccount', () => {
  let temp: TempStore;

  beforeAll(async () => {
    temp = await openTempStore();
    await seedYearAccount(temp.store, 'initech', start);
  });

  afterAll(async () => {
    await temp?.cleanup();
  });

  const input = (checkNumber: number) => ({
    accountId: 'initech',
    asOf: start,
    workflowId: 'account-initech',
    checkNumber,
    state: initialState('initech', start),
  });

  it('records the check once per number', async () => {
    const { checkAccount } = createCheckActivities({
      store: temp.store,
      rules: loadRuleEngine(yearRulesDir),
      logger: silentLogger,
    });
    await checkAccount(input(1));
    await checkAccount(input(1));
    const rows = await temp.store.db.selectFrom('checks').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.rule_set_version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('explains rules that did not fire', async () => {
    const { checkAccount } = createCheckActivities({
      store: temp.store,
      rules: loadRuleEngine(yearRulesDir),
      logger: silentLogger,
    });
    await checkAccount(input(2));
    const row = await temp.store.db
      .selectFrom('checks')
      .selectAll()
      .where('check_number', '=', 2)
      .executeTakeFirstOrThrow();
    const notFired = JSON.parse(row.not_fired) as { ruleId: string; failing: string[] }[];
    expect(notFired.map((rule) => rule.ruleId)).toContain('milestone-overdue');
    expect(notFired[0]?.failing[0]).toMatch(/overdueMilestones greaterThan 0 was false/);
  });

  it('rejects a bad rule set naming the file', async () => {
    const dir = join(__dirname, 'rules-broken');
    const watcher = new RuleSetWatcher(dir, {
      templateExists: createTemplateChecker(templatesDir),
    });
    const { checkAccount } = createCheckActivities({
      store: temp.store,
      rules: createRuleEngine(watcher),
      logger: silentLogger,
    });
    const failure = await checkAccount(input(3)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    expect((failure as ApplicationFailure).message).toContain('typo.json');
  });

  it('rejects an unknown account', async () => {
    const { checkAccount } = createCheckActivities({
      store: temp.store,
      rules: loadRuleEngine(yearRulesDir),
      logger: silentLogger,
    });
    const failure = await checkAccount({ ...input(4), accountId: 'nobody' }).catch(
      (error: unknown) => error,
    );
    expect((failure as ApplicationFailure).type).toBe('AccountNotFound');
  });

  it('checks an account created ahead of time', async () => {
    await seedYearAccount(temp.store, 'future-co', start + 3 * 86_400_000);
    const { checkAccount } = createCheckActivities({
      store: temp.store,
      rules: loadRuleEngine(yearRulesDir),
      logger: silentLogger,
    });
    const result = await checkAccount({
      ...input(5),
      accountId: 'future-co',
      workflowId: 'account-future-co',
      state: initialState('future-co', start),
    });
    expect(result.ruleSetVersion).toMatch(/^[0-9a-f]{16}$/);
  });
});

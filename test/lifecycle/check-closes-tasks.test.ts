import { createCheckActivities } from '../../activities/check';
import { initialState } from '../../src/lifecycle';
import { silentLogger } from '../../src/logger';
import { loadRuleEngine, yearRulesDir } from '../workflows/helpers/rule-folders';
import { openTempStore, seedYearAccount, type TempStore } from '../workflows/helpers/account-store';

const start = Date.UTC(2026, 0, 5, 12);

describe('checkAccount and open tasks', () => {
  let temp: TempStore;

  beforeAll(async () => {
    temp = await openTempStore();
    await seedYearAccount(temp.store, 'initech', start);
    // On the first day no milestone is overdue yet, so this rule does not fire.
    await temp.store.db
      .insertInto('tasks')
      .values({
        id: 'task-1',
        account_id: 'initech',
        rule_id: 'milestone-overdue',
        owner: 'csm-ada',
        title: 'Initech: onboarding milestone overdue',
        description: '',
        priority: 'medium',
        due_at: start,
        evidence: '{}',
        status: 'open',
        snoozed_until: null,
        created_at: start - 86_400_000,
        completed_at: null,
      })
      .execute();
    const { checkAccount } = createCheckActivities({
      store: temp.store,
      rules: loadRuleEngine(yearRulesDir),
      logger: silentLogger,
    });
    await checkAccount({
      accountId: 'initech',
      asOf: start,
      workflowId: 'account-initech',
      checkNumber: 1,
      state: initialState('initech', start),
    });
  });

  afterAll(async () => {
    await temp?.cleanup();
  });

  it('closes a task whose rule no longer fires', async () => {
    const task = await temp.store.db
      .selectFrom('tasks')
      .selectAll()
      .where('id', '=', 'task-1')
      .executeTakeFirstOrThrow();
    expect(task.status).toBe('done');
  });
});

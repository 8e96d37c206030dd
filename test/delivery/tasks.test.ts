import type { DeliveryDeps } from '../../src/delivery/config';
import { createMailTransport } from '../../src/delivery/mail-transport';
import { getOutboxRow } from '../../src/delivery/outbox';
import {
  closeClearedTasks,
  completeTask,
  deliverTask,
  listTasks,
  snoozeTask,
} from '../../src/delivery/tasks';
import type { Store } from '../../src/store/database';
import { dayMs } from '../../src/store/time';
import { createDeps, createTestStore, plannedAction, testNow } from './helpers/store';

describe('tasks', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  let deps: DeliveryDeps;

  const task = (
    key: string,
    params: Record<string, unknown> = { priority: 'high', dueInDays: 3 },
  ) =>
    plannedAction('task', {
      idempotencyKey: key,
      ruleId: 'onboarding-milestone-overdue',
      template: 'onboarding-overdue',
      recipient: 'casey',
      params,
      evidence: { overdueMilestones: 2, onboardingCompletion: 0.25 },
    });

  beforeEach(async () => {
    ({ store, dir, cleanup } = await createTestStore());
    deps = createDeps(store, createMailTransport({ outboxDir: dir }));
  });

  afterEach(async () => {
    await cleanup();
  });

  describe('a created task', () => {
    it('belongs to the CSM with priority and due date', async () => {
      expect((await deliverTask(deps, task('t1'))).status).toBe('sent');
      const [created] = await listTasks(store, { owner: 'casey', status: 'open', now: testNow });
      expect(created?.priority).toBe('high');
      expect(created?.due_at).toBe(testNow + 3 * dayMs);
      expect(created?.rule_id).toBe('onboarding-milestone-overdue');
    });

    it('has the rendered title and the evidence', async () => {
      await deliverTask(deps, task('t1'));
      const [created] = await listTasks(store, { owner: 'casey' });
      expect(created?.title).toBe('Northwind: 2 onboarding milestones overdue');
      expect(created?.evidence).toEqual({ overdueMilestones: 2, onboardingCompletion: 0.25 });
    });
  });

  describe('after a check', () => {
    const accountId = plannedAction('task').accountId;
    const later = testNow + dayMs;

    it('closes a task whose rule no longer fires', async () => {
      await deliverTask(deps, task('t1'));
      await closeClearedTasks(store, { accountId, firedRuleIds: ['other-rule'], at: later });
      const [closed] = await listTasks(store, {});
      expect(closed).toMatchObject({ status: 'done', completed_at: later });
    });

    it('says why it closed the task', async () => {
      await deliverTask(deps, task('t1'));
      await closeClearedTasks(store, { accountId, firedRuleIds: [], at: later });
      const [closed] = await listTasks(store, {});
      expect(closed?.closed_reason).toBe(
        'closed by Uptake: rule onboarding-milestone-overdue no longer fired at the check of ' +
          new Date(later).toISOString(),
      );
    });

    it('keeps a task whose rule still fires', async () => {
      await deliverTask(deps, task('t1'));
      const closed = await closeClearedTasks(store, {
        accountId,
        firedRuleIds: ['onboarding-milestone-overdue'],
        at: later,
      });
      expect(closed).toEqual([]);
    });

    it('keeps a task whose rule opts out', async () => {
      await deliverTask(deps, task('t1', { closeWhenCleared: false }));
      const closed = await closeClearedTasks(store, { accountId, firedRuleIds: [], at: later });
      expect(closed).toEqual([]);
    });

    it('creates a new task when the rule fires again', async () => {
      await deliverTask(deps, task('t1'));
      await closeClearedTasks(store, { accountId, firedRuleIds: [], at: later });
      expect((await deliverTask(deps, task('t2'))).status).toBe('sent');
    });
  });

  it('skips a second open task for the rule', async () => {
    await deliverTask(deps, task('t1'));
    const second = await deliverTask(deps, task('t2'));
    expect(second).toMatchObject({ status: 'skipped', reason: 'open task exists' });
    expect((await getOutboxRow(store.db, 't2')).reason).toBe('open task exists');
    expect(await listTasks(store, {})).toHaveLength(1);
  });

  it('reports a repeated key as duplicate', async () => {
    await deliverTask(deps, task('t1'));
    expect((await deliverTask(deps, task('t1'))).status).toBe('duplicate');
  });

  it('creates a new task once the first is done', async () => {
    await deliverTask(deps, task('t1'));
    const [first] = await listTasks(store, {});
    await completeTask(store, first?.id ?? '', testNow);
    expect((await deliverTask(deps, task('t2'))).status).toBe('sent');
    expect(await listTasks(store, { status: 'done' })).toHaveLength(1);
    expect(await listTasks(store, { status: 'open', now: testNow })).toHaveLength(1);
  });

  it('records the completion time', async () => {
    await deliverTask(deps, task('t1'));
    const [first] = await listTasks(store, {});
    const done = await completeTask(store, first?.id ?? '', testNow);
    expect(done?.status).toBe('done');
    expect(done?.completed_at).toBe(testNow);
  });

  it('snoozes until the given time', async () => {
    await deliverTask(deps, task('t1'));
    const [first] = await listTasks(store, {});
    await snoozeTask(store, first?.id ?? '', testNow + dayMs, testNow);
    expect(await listTasks(store, { status: 'snoozed', now: testNow })).toHaveLength(1);
    expect(await listTasks(store, { status: 'open', now: testNow })).toHaveLength(0);
    expect(await listTasks(store, { status: 'open', now: testNow + 2 * dayMs })).toHaveLength(1);
  });

  it('counts a snoozed task as open for the rule', async () => {
    await deliverTask(deps, task('t1'));
    const [first] = await listTasks(store, {});
    await snoozeTask(store, first?.id ?? '', testNow + dayMs, testNow);
    expect((await deliverTask(deps, task('t2'))).status).toBe('skipped');
  });

  it('rejects a snooze in the past', async () => {
    await deliverTask(deps, task('t1'));
    const [first] = await listTasks(store, {});
    await expect(snoozeTask(store, first?.id ?? '', testNow - 1, testNow)).rejects.toThrow(
      RangeError,
    );
  });

  it('returns undefined for an unknown task', async () => {
    expect(await completeTask(store, 'nope')).toBeUndefined();
  });

  it('uses a plain title without a template', async () => {
    const plain = { ...task('t1'), params: { title: 'Call the sponsor' } };
    delete plain.template;
    await deliverTask(deps, plain);
    const [created] = await listTasks(store, {});
    expect(created?.title).toBe('Call the sponsor');
    expect(created?.priority).toBe('medium');
  });

  it('reads normal as the default priority', async () => {
    await deliverTask(deps, task('t1', { priority: 'normal' }));
    const [created] = await listTasks(store, {});
    expect(created?.priority).toBe('medium');
  });

  it('fails on an invalid priority', async () => {
    const result = await deliverTask(deps, task('t1', { priority: 'asap' }));
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/priority "asap" is invalid/);
  });

  it('fails without a CSM owner', async () => {
    await store.db.updateTable('accounts').set({ csm_owner: null }).execute();
    const result = await deliverTask(deps, { ...task('t1'), recipient: '' });
    expect(result.reason).toBe('account acc-1 has no CSM owner: set accounts.csm_owner');
  });
});

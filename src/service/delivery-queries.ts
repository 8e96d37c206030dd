import { randomUUID } from 'node:crypto';
import type { DeliveryQueries, NoticeView, TaskView } from '../api/ports';
import { ApiError } from '../api/errors';
import { dismissNotice, listNotices, markNoticeRead } from '../delivery/notices';
import {
  completeTask,
  findTask,
  listTasks,
  snoozeTask,
  type TaskView as StoredTask,
} from '../delivery/tasks';
import { unsubscribeUser, verifyUnsubscribeToken } from '../delivery/unsubscribe';
import type { Store } from '../store/database';
import type { Notice } from '../store/schema';
import { dayMs } from '../store/time';

/** Days until a feedback task for the product team is due. */
const feedbackTaskDueDays = 7;

function toNoticeView(notice: Notice): NoticeView {
  return {
    id: notice.id,
    title: notice.title,
    body: notice.body,
    ruleId: notice.rule_id,
    createdAt: notice.created_at,
    readAt: notice.read_at,
    dismissedAt: notice.dismissed_at,
  };
}

function toTaskView(task: StoredTask): TaskView {
  return {
    id: task.id,
    accountId: task.account_id,
    ruleId: task.rule_id,
    owner: task.owner,
    title: task.title,
    description: task.description,
    priority: task.priority,
    status: task.status,
    dueAt: task.due_at,
    snoozedUntil: task.snoozed_until,
    evidence: task.evidence,
    createdAt: task.created_at,
    closedReason: task.closed_reason,
  };
}

/** Builds the 409 for a change to a done task, with the task's status and completion time. */
function taskDone(task: StoredTask, change: 'completed' | 'snoozed'): ApiError {
  const completed =
    task.completed_at === null ? '' : ` at ${new Date(task.completed_at).toISOString()}`;
  const message =
    `task "${task.id}" has status "${task.status}" (completed${completed}), so it cannot be ` +
    `${change}; list open tasks with GET /v1/tasks?status=open`;
  return new ApiError(409, `taskId: ${message}`, [{ field: 'taskId', message }]);
}

/** Raises a 409 when the task exists and is done. A missing task gets the caller's 404. */
async function assertNotDone(
  store: Store,
  taskId: string,
  change: 'completed' | 'snoozed',
  at: number,
): Promise<void> {
  const task = await findTask(store, taskId, at);
  if (task?.status === 'done') throw taskDone(task, change);
}

/**
 * Adapts the delivery area's notice, task and unsubscribe helpers to the
 * API's camelCase views. `now` is the clock for read, done and snooze times.
 */
export function createDeliveryQueries(
  store: Store,
  unsubscribeSecret: string,
  now: () => number = Date.now,
): DeliveryQueries {
  return {
    listNotices: async (userId, { unread }) =>
      (await listNotices(store, userId, { unread })).map(toNoticeView),
    markNoticeRead: async (userId, noticeId) =>
      (await markNoticeRead(store, noticeId, { userId, now: now() })) !== undefined,
    dismissNotice: async (userId, noticeId) =>
      (await dismissNotice(store, noticeId, { userId, now: now() })) !== undefined,
    listTasks: async (filter) =>
      (await listTasks(store, { ...filter, now: now() })).map(toTaskView),
    completeTask: async (taskId) => {
      await assertNotDone(store, taskId, 'completed', now());
      return (await completeTask(store, taskId, now())) !== undefined;
    },
    snoozeTask: async (taskId, until) => {
      await assertNotDone(store, taskId, 'snoozed', now());
      try {
        const task = await snoozeTask(store, taskId, until, now());
        // A completion between the check and the update leaves the task done.
        if (task?.status === 'done') throw taskDone(task, 'snoozed');
        return task !== undefined;
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        throw new ApiError(400, `until: ${error.message}`, [
          { field: 'until', message: error.message },
        ]);
      }
    },
    createTask: async (task) => {
      const createdAt = now();
      await store.db
        .insertInto('tasks')
        .values({
          id: randomUUID(),
          account_id: task.accountId,
          rule_id: task.key,
          owner: task.owner,
          title: task.title,
          description: task.description,
          priority: 'normal',
          due_at: createdAt + feedbackTaskDueDays * dayMs,
          evidence: JSON.stringify(task.evidence),
          status: 'open',
          snoozed_until: null,
          created_at: createdAt,
          completed_at: null,
        })
        // The key is unique per feedback item, so a second routing leaves the first task alone.
        .onConflict((conflict) => conflict.doNothing())
        .execute();
    },
    unsubscribeUser: (userId) => unsubscribeUser(store, userId, { now: now() }),
    verifyUnsubscribeToken: (token) => verifyUnsubscribeToken(token, unsubscribeSecret),
  };
}

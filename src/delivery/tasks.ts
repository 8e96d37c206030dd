import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { DeliveryResult, PlannedAction } from '../actions/types';
import type { Store } from '../store/database';
import type { Account, Task, TaskStatus } from '../store/schema';
import { dayMs } from '../store/time';
import { renderTask } from '../templates/render';
import { currentTemplates, type DeliveryDeps } from './config';
import { recordOnce, type Db, type EffectOutcome } from './outbox';
import { buildRenderContext, findAccount } from './render-context';
import { actionLogger, assertActionType, duplicateResult } from './results';
import { readTaskDueInDays, readTaskPriority } from '../actions/task-params';

export { defaultTaskDueDays, defaultTaskPriority, taskPriorities } from '../actions/task-params';

/** A task as the API returns it: evidence parsed, status as of the query time. */
export type TaskView = Omit<Task, 'evidence'> & { evidence: Record<string, unknown> };

interface PreparedTask {
  owner: string;
  title: string;
  description: string;
  priority: string;
  dueInDays: number;
  /** False when the rule's action sets `closeWhenCleared: false`. */
  autoClose: boolean;
}

/**
 * Creates the CSM task of a planned action, exactly once per idempotency key
 * and at most one unfinished task per account and rule: a second firing while
 * one is open (or snoozed) is skipped with the reason "open task exists".
 */
export async function deliverTask(
  deps: DeliveryDeps,
  action: PlannedAction,
): Promise<DeliveryResult> {
  assertActionType(action, 'task');
  const now = deps.now?.() ?? Date.now();
  const prepared = await prepareTask(deps, action);
  const id = randomUUID();

  const result = await recordOnce(deps.store.db, action, now, async (trx) =>
    'reason' in prepared
      ? { status: 'failed', reason: prepared.reason }
      : insertTask(trx, action, prepared, { id, now }),
  );
  if (result.duplicate) return duplicateResult(result.row);

  const { status, reason } = result.outcome;
  const log = actionLogger(deps.logger, action);
  if (status === 'sent') log.info({ taskId: id }, 'task created');
  else log.info({ status, reason }, 'task not created');
  return { idempotencyKey: action.idempotencyKey, status, ...(reason ? { reason } : {}) };
}

async function insertTask(
  trx: Db,
  action: PlannedAction,
  task: PreparedTask,
  ids: { id: string; now: number },
): Promise<EffectOutcome> {
  // The partial unique index on unfinished tasks turns a second open task into a no-op.
  const inserted = await trx
    .insertInto('tasks')
    .values({
      id: ids.id,
      account_id: action.accountId,
      rule_id: action.ruleId,
      owner: task.owner,
      title: task.title,
      description: task.description,
      priority: task.priority,
      due_at: ids.now + task.dueInDays * dayMs,
      evidence: JSON.stringify(action.evidence),
      status: 'open',
      snoozed_until: null,
      created_at: ids.now,
      completed_at: null,
      auto_close: task.autoClose ? 1 : 0,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0)
    return { status: 'skipped', reason: 'open task exists' };
  return { status: 'sent', messageId: ids.id };
}

async function prepareTask(
  deps: DeliveryDeps,
  action: PlannedAction,
): Promise<PreparedTask | { reason: string }> {
  const account = await findAccount(deps, action.accountId);
  if (!account) return { reason: `account ${action.accountId} not found` };
  const owner = action.recipient || account.csm_owner;
  if (!owner)
    return { reason: `account ${action.accountId} has no CSM owner: set accounts.csm_owner` };

  const priority = readTaskPriority(action.params.priority);
  if (typeof priority !== 'string') return priority;
  const dueInDays = readTaskDueInDays(action.params.dueInDays);
  if (typeof dueInDays !== 'number') return dueInDays;

  const text = await renderTaskText(deps, action, account);
  const autoClose = action.params.closeWhenCleared !== false;
  return 'reason' in text ? text : { owner, priority, dueInDays, autoClose, ...text };
}

async function renderTaskText(
  deps: DeliveryDeps,
  action: PlannedAction,
  account: Account,
): Promise<{ title: string; description: string } | { reason: string }> {
  const { title, description } = action.params;
  if (!action.template) {
    // A plain rule's task event may carry its own title instead of a template.
    if (typeof title !== 'string' || title.trim() === '')
      return { reason: `task action of rule ${action.ruleId} has neither a template nor a title` };
    return { title: title.trim(), description: typeof description === 'string' ? description : '' };
  }
  try {
    return renderTask(
      currentTemplates(deps),
      action.template,
      await buildRenderContext(deps, action, { account }),
    );
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Lists tasks, soonest due first, by owner and status as of `now`: a snoozed
 * task whose snooze has ended counts as open again.
 */
export async function listTasks(
  store: Store,
  filter: { owner?: string; status?: TaskStatus; accountId?: string; now?: number } = {},
): Promise<TaskView[]> {
  const now = filter.now ?? Date.now();
  let query = store.db.selectFrom('tasks').selectAll();
  if (filter.owner !== undefined) query = query.where('owner', '=', filter.owner);
  if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
  if (filter.status === 'done') query = query.where('status', '=', 'done');
  if (filter.status === 'snoozed')
    query = query.where('status', '=', 'snoozed').where('snoozed_until', '>', now);
  if (filter.status === 'open') {
    query = query.where((eb) =>
      eb.or([
        eb('status', '=', 'open'),
        eb.and([eb('status', '=', 'snoozed'), eb('snoozed_until', '<=', now)]),
      ]),
    );
  }
  const rows = await query.orderBy('due_at').orderBy('id').execute();
  return rows.map((row) => toView(row, now));
}

/** Marks a task done and returns it; undefined when it does not exist. Completing twice keeps the first time. */
export async function completeTask(
  store: Store,
  taskId: string,
  now: number = Date.now(),
): Promise<TaskView | undefined> {
  await store.db
    .updateTable('tasks')
    .set({ status: 'done', completed_at: now, snoozed_until: null })
    .where('id', '=', taskId)
    .where('status', '<>', 'done')
    .execute();
  return findTask(store, taskId, now);
}

/**
 * Closes the account's unfinished tasks whose rule did not fire at a check,
 * because what the task asked the CSM to look into has cleared, such as an
 * overdue milestone completed since. Tasks of rules that set
 * `closeWhenCleared: false` stay open. Returns the closed tasks' ids.
 */
export async function closeClearedTasks(
  store: Store,
  check: { accountId: string; firedRuleIds: readonly string[]; at: number },
): Promise<string[]> {
  let query = store.db
    .updateTable('tasks')
    .set((eb) => ({
      status: 'done',
      completed_at: check.at,
      snoozed_until: null,
      closed_reason: sql<string>`'closed by Uptake: rule ' || ${eb.ref('rule_id')} || ${` no longer fired at the check of ${new Date(check.at).toISOString()}`}`,
    }))
    .where('account_id', '=', check.accountId)
    .where('status', '<>', 'done')
    .where('auto_close', '=', 1);
  if (check.firedRuleIds.length > 0)
    query = query.where('rule_id', 'not in', [...check.firedRuleIds]);
  const rows = await query.returning('id').execute();
  return rows.map((row) => row.id);
}

/**
 * Snoozes an unfinished task until `until` (epoch ms, after `now`) and
 * returns it; undefined when it does not exist. A done task stays done.
 */
export async function snoozeTask(
  store: Store,
  taskId: string,
  until: number,
  now: number = Date.now(),
): Promise<TaskView | undefined> {
  if (!Number.isFinite(until) || until <= now) {
    throw new RangeError(
      `snooze time ${Number.isFinite(until) ? new Date(until).toISOString() : String(until)} is not in the future: pick a later time`,
    );
  }
  await store.db
    .updateTable('tasks')
    .set({ status: 'snoozed', snoozed_until: until })
    .where('id', '=', taskId)
    .where('status', '<>', 'done')
    .execute();
  return findTask(store, taskId, now);
}

/** Loads one task as of `now`, or undefined. */
export async function findTask(
  store: Store,
  taskId: string,
  now: number = Date.now(),
): Promise<TaskView | undefined> {
  const row = await store.db
    .selectFrom('tasks')
    .selectAll()
    .where('id', '=', taskId)
    .executeTakeFirst();
  return row ? toView(row, now) : undefined;
}

function toView(row: Task, now: number): TaskView {
  const awake = row.status === 'snoozed' && row.snoozed_until !== null && row.snoozed_until <= now;
  return {
    ...row,
    status: awake ? 'open' : row.status,
    evidence: JSON.parse(row.evidence) as Record<string, unknown>,
  };
}

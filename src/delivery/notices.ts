import { randomUUID } from 'node:crypto';
import type { DeliveryResult, PlannedAction } from '../actions/types';
import type { Store } from '../store/database';
import type { Notice } from '../store/schema';
import { renderNotice } from '../templates/render';
import { currentTemplates, type DeliveryDeps } from './config';
import { recordOnce, type EffectOutcome } from './outbox';
import { buildRenderContext, findAccount, findUser } from './render-context';
import { actionLogger, assertActionType, duplicateResult } from './results';

type Rendered = { title: string; body: string } | { reason: string };

/**
 * Stores the in-app notice of a planned action for one user, exactly once per
 * idempotency key. An unknown user or a template that fails to render gives a
 * failed result with the reason, recorded in the outbox.
 */
export async function deliverNotice(
  deps: DeliveryDeps,
  action: PlannedAction,
): Promise<DeliveryResult> {
  assertActionType(action, 'notice');
  const now = deps.now?.() ?? Date.now();
  const rendered = await prepareNotice(deps, action);
  const id = randomUUID();

  const result = await recordOnce(
    deps.store.db,
    action,
    now,
    async (trx): Promise<EffectOutcome> => {
      if ('reason' in rendered) return { status: 'failed', reason: rendered.reason };
      await trx
        .insertInto('notices')
        .values({
          id,
          account_id: action.accountId,
          user_id: action.recipient,
          rule_id: action.ruleId,
          title: rendered.title,
          body: rendered.body,
          created_at: now,
          read_at: null,
          dismissed_at: null,
        })
        .execute();
      return { status: 'sent', messageId: id };
    },
  );
  if (result.duplicate) return duplicateResult(result.row);

  const { status, reason } = result.outcome;
  const log = actionLogger(deps.logger, action);
  if (status === 'sent') log.info({ noticeId: id }, 'notice stored');
  else log.warn({ reason }, 'notice not stored');
  return { idempotencyKey: action.idempotencyKey, status, ...(reason ? { reason } : {}) };
}

async function prepareNotice(deps: DeliveryDeps, action: PlannedAction): Promise<Rendered> {
  const account = await findAccount(deps, action.accountId);
  if (!account) return { reason: `account ${action.accountId} not found` };
  const user = await findUser(deps, action.accountId, action.recipient);
  if (!user) return { reason: `user ${action.recipient} not found in account ${action.accountId}` };
  if (!action.template)
    return { reason: `notice action of rule ${action.ruleId} names no template` };
  try {
    return renderNotice(
      currentTemplates(deps),
      action.template,
      await buildRenderContext(deps, action, { account, user }),
    );
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Lists a user's notices, newest first; dismissed ones are left out, and read ones too with `unread`. */
export async function listNotices(
  store: Store,
  userId: string,
  options: { unread?: boolean } = {},
): Promise<Notice[]> {
  let query = store.db
    .selectFrom('notices')
    .selectAll()
    .where('user_id', '=', userId)
    .where('dismissed_at', 'is', null);
  if (options.unread) query = query.where('read_at', 'is', null);
  return query.orderBy('created_at', 'desc').orderBy('id').execute();
}

/**
 * Marks a notice read (keeping the first read time) and returns it, or
 * undefined when no such notice exists for that user.
 */
export async function markNoticeRead(
  store: Store,
  noticeId: string,
  options: { userId?: string; now?: number } = {},
): Promise<Notice | undefined> {
  return stampNotice(store, noticeId, 'read_at', options);
}

/** Dismisses a notice so that lists leave it out; returns it, or undefined when not found. */
export async function dismissNotice(
  store: Store,
  noticeId: string,
  options: { userId?: string; now?: number } = {},
): Promise<Notice | undefined> {
  return stampNotice(store, noticeId, 'dismissed_at', options);
}

async function stampNotice(
  store: Store,
  noticeId: string,
  column: 'read_at' | 'dismissed_at',
  options: { userId?: string; now?: number },
): Promise<Notice | undefined> {
  let update = store.db
    .updateTable('notices')
    .set({ [column]: options.now ?? Date.now() })
    .where('id', '=', noticeId)
    .where(column, 'is', null);
  if (options.userId !== undefined) update = update.where('user_id', '=', options.userId);
  await update.execute();

  let select = store.db.selectFrom('notices').selectAll().where('id', '=', noticeId);
  if (options.userId !== undefined) select = select.where('user_id', '=', options.userId);
  return select.executeTakeFirst();
}

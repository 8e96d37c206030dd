import { ApplicationFailure } from '@temporalio/common';
import type { ActionType, DeliveryResult, PlannedAction } from '../actions/types';
import type { Logger } from '../logger';
import type { OutboxRow } from '../store/schema';

/** Builds the result of an action whose outbox row had already finished. */
export function duplicateResult(row: OutboxRow): DeliveryResult {
  const reason = row.reason ? `already ${row.status}: ${row.reason}` : `already ${row.status}`;
  return { idempotencyKey: row.idempotency_key, status: 'duplicate', reason };
}

/**
 * Rejects an action handed to the wrong channel. That is a bug in the caller,
 * so the failure is non-retryable: another attempt would fail the same way.
 */
export function assertActionType(action: PlannedAction, type: ActionType): void {
  if (action.type === type) return;
  throw ApplicationFailure.nonRetryable(
    `action ${action.idempotencyKey} has type "${action.type}" but was sent to the ${type} channel`,
    'WrongChannel',
  );
}

/** Creates a child logger carrying the ids of an action on every line. */
export function actionLogger(logger: Logger, action: PlannedAction): Logger {
  return logger.child({
    accountId: action.accountId,
    ruleId: action.ruleId,
    idempotencyKey: action.idempotencyKey,
    recipient: action.recipient,
  });
}

/** The Temporal attempt that runs a delivery, for logs; empty outside an activity. */
export interface AttemptInfo {
  /** Temporal's attempt number, 1 for the first run of the activity. */
  attempt?: number;
  /** True on the activity's last attempt under its retry policy, false before it; unset outside an activity. */
  final?: boolean;
  workflowId?: string;
}

/** Creates the logger of one delivery attempt: the action's ids plus the lease owner and attempt. */
export function attemptLogger(
  logger: Logger,
  action: PlannedAction,
  owner: string,
  attempt: AttemptInfo,
): Logger {
  return actionLogger(logger, action).child({
    owner,
    attempt: attempt.attempt,
    workflowId: attempt.workflowId,
  });
}

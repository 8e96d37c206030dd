import { Context } from '@temporalio/activity';
import type { DeliveryResult, PlannedAction } from '../src/actions/types';
import type { DeliveryDeps } from '../src/delivery/config';
import { deliverEmail, type AttemptInfo } from '../src/delivery/email';
import { deliverNotice } from '../src/delivery/notices';
import { deliverTask } from '../src/delivery/tasks';
import { deliverWebhook } from '../src/delivery/webhook';

/** The delivery activities, one per channel, as the worker registers them. */
export interface DeliveryActivities {
  deliverEmail(action: PlannedAction): Promise<DeliveryResult>;
  deliverNotice(action: PlannedAction): Promise<DeliveryResult>;
  deliverTask(action: PlannedAction): Promise<DeliveryResult>;
  deliverWebhook(action: PlannedAction): Promise<DeliveryResult>;
}

/**
 * Creates the delivery activities over one store, template set, mail
 * transport and configuration. Each records its action in the outbox under
 * the idempotency key before acting, and email and webhook sends run only
 * under the row's lease, so Temporal retries and replays never act twice
 * (email over STARTTLS has one crash window, described in src/delivery/email.ts).
 * Bad input returns a failed result instead of throwing, so the workflow goes
 * on; only transient errors throw (retryable). Each activity heartbeats while it
 * runs, so Temporal retries the action of a dead worker within seconds.
 */
export function createDeliveryActivities(deps: DeliveryDeps): DeliveryActivities {
  return {
    deliverEmail: (action) => heartbeating(() => deliverEmail(deps, action, currentAttempt())),
    deliverNotice: (action) => heartbeating(() => deliverNotice(deps, action)),
    deliverTask: (action) => heartbeating(() => deliverTask(deps, action)),
    deliverWebhook: (action) => heartbeating(() => deliverWebhook(deps, action, currentAttempt())),
  };
}

/** Interval of heartbeats, well inside the workflow's heartbeat timeout for deliveries. */
const heartbeatMs = 1_000;

/**
 * Runs `task` and heartbeats every second until it settles. An email may wait
 * its turn behind others for the one send slot, so the start-to-close timeout is
 * long, and the heartbeat timeout is what detects a dead worker.
 */
async function heartbeating<T>(task: () => Promise<T>): Promise<T> {
  const context = activityContext();
  if (!context) return task();
  const timer = setInterval(() => context.heartbeat(), heartbeatMs);
  try {
    return await task();
  } finally {
    clearInterval(timer);
  }
}

/** Returns the activity context, or undefined when called outside an activity (unit tests). */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** Reads the Temporal attempt running this call, for logs; empty when called outside an activity. */
function currentAttempt(): AttemptInfo {
  const info = activityContext()?.info;
  if (!info) return {};
  // Temporal's maximumAttempts of 0 means no limit.
  const maximum = info.retryPolicy?.maximumAttempts ?? 0;
  return {
    attempt: info.attempt,
    final: maximum > 0 && info.attempt >= maximum,
    workflowId: info.workflowExecution?.workflowId,
  };
}

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
 * (email has one crash window, described in src/delivery/email.ts). Bad input
 * returns a failed result instead of throwing, so the workflow goes on; only
 * transient errors throw (retryable).
 */
export function createDeliveryActivities(deps: DeliveryDeps): DeliveryActivities {
  return {
    deliverEmail: (action) => deliverEmail(deps, action, currentAttempt()),
    deliverNotice: (action) => deliverNotice(deps, action),
    deliverTask: (action) => deliverTask(deps, action),
    deliverWebhook: (action) => deliverWebhook(deps, action, currentAttempt()),
  };
}

/** Reads the Temporal attempt running this call, for logs; empty when called outside an activity. */
function currentAttempt(): AttemptInfo {
  try {
    const { info } = Context.current();
    return { attempt: info.attempt, workflowId: info.workflowExecution?.workflowId };
  } catch {
    return {};
  }
}

import type { DeliveryResult, PlannedAction } from '../src/actions/types';
import type { DeliveryDeps } from '../src/delivery/config';
import { deliverEmail } from '../src/delivery/email';
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
 * the idempotency key before acting, so Temporal retries and replays never
 * act twice. Bad input returns a failed result instead of throwing, so the
 * workflow goes on; only transient SMTP errors throw (retryable).
 */
export function createDeliveryActivities(deps: DeliveryDeps): DeliveryActivities {
  return {
    deliverEmail: (action) => deliverEmail(deps, action),
    deliverNotice: (action) => deliverNotice(deps, action),
    deliverTask: (action) => deliverTask(deps, action),
    deliverWebhook: (action) => deliverWebhook(deps, action),
  };
}

import type { DeliveryResult, PlannedAction } from '../actions/types';

/**
 * The delivery activities the account workflow calls, one per channel. The
 * delivery area implements them with an outbox keyed by the idempotency key,
 * so a retried or replayed call never delivers twice.
 */
export interface DeliveryActivities {
  deliverEmail(action: PlannedAction): Promise<DeliveryResult>;
  deliverNotice(action: PlannedAction): Promise<DeliveryResult>;
  deliverTask(action: PlannedAction): Promise<DeliveryResult>;
  deliverWebhook(action: PlannedAction): Promise<DeliveryResult>;
}

import type { DeliveryResult, PlannedAction } from '../../../src/actions/types';
import type { DeliveryActivities } from '../../../src/lifecycle/delivery-port';

/** One delivery call as the recording activities saw it. */
export interface RecordedDelivery {
  action: PlannedAction;
  channel: string;
}

/**
 * Delivery activities that record each call once per idempotency key, for
 * workflow tests that check which actions went out on which day.
 */
export function createRecordingDelivery(): {
  activities: DeliveryActivities;
  deliveries: RecordedDelivery[];
} {
  const deliveries: RecordedDelivery[] = [];
  const seen = new Set<string>();
  const record =
    (channel: string) =>
    async (action: PlannedAction): Promise<DeliveryResult> => {
      if (seen.has(action.idempotencyKey)) {
        return { idempotencyKey: action.idempotencyKey, status: 'duplicate' };
      }
      seen.add(action.idempotencyKey);
      deliveries.push({ action, channel });
      return { idempotencyKey: action.idempotencyKey, status: 'sent' };
    };
  return {
    deliveries,
    activities: {
      deliverEmail: record('email'),
      deliverNotice: record('notice'),
      deliverTask: record('task'),
      deliverWebhook: record('webhook'),
    },
  };
}

import type { DeliveryQueries, FeedbackRouter } from '../api/ports';
import type { Logger } from '../logger';
import type { Store } from '../store/database';

/** Feedback destination: a product-team webhook when configured, else a task for the product owner. */
export interface FeedbackRouting {
  webhookUrl?: string;
  productOwner: string;
  store: Store;
  createTask: DeliveryQueries['createTask'];
  logger: Logger;
  now?: () => number;
  /** Per-request timeout of the webhook POST, in milliseconds. */
  timeoutMs?: number;
}

const kindTitles = { idea: 'Idea', problem: 'Problem', praise: 'Praise' } as const;

/**
 * Creates the router that hands each stored feedback item to the product
 * team and stamps feedback.routed_at once it did. Early adopters' feedback
 * carries `earlyAdopter: true` in the webhook body and in the task title.
 */
export function createFeedbackRouter(routing: FeedbackRouting): FeedbackRouter {
  const now = routing.now ?? Date.now;
  return async (feedback) => {
    const early = feedback.earlyAdopter ? ' [early adopter]' : '';
    const feature = feedback.feature ? ` on ${feedback.feature}` : '';
    if (routing.webhookUrl) {
      const response = await fetch(routing.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'feedback', feedback }),
        signal: AbortSignal.timeout(routing.timeoutMs ?? 10_000),
      });
      if (!response.ok) {
        throw new Error(`feedback webhook returned HTTP ${response.status}`);
      }
    } else {
      await routing.createTask({
        accountId: feedback.accountId,
        owner: routing.productOwner,
        key: `feedback:${feedback.id}`,
        title: `${kindTitles[feedback.kind]}${feature} from ${feedback.accountId}${early}`,
        description: feedback.body,
        evidence: {
          feedbackId: feedback.id,
          kind: feedback.kind,
          feature: feedback.feature ?? null,
          userId: feedback.userId ?? null,
          earlyAdopter: feedback.earlyAdopter,
        },
      });
    }
    await routing.store.db
      .updateTable('feedback')
      .set({ routed_at: now() })
      .where('id', '=', feedback.id)
      .execute();
    routing.logger.info(
      {
        feedbackId: feedback.id,
        accountId: feedback.accountId,
        earlyAdopter: feedback.earlyAdopter,
      },
      routing.webhookUrl ? 'feedback sent to product webhook' : 'feedback task created',
    );
  };
}

import type { FastifyInstance, FastifyBaseLogger } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceMetrics } from '../metrics';
import type { ApiDependencies } from '../ports';
import { assertReferencesExist, assertUsersOfAccounts } from '../references';
import { batch, errorResponse, feedbackInput, type FeedbackInput } from '../schemas';

const errors = { 400: errorResponse, 401: errorResponse, 413: errorResponse, 422: errorResponse };

const feedbackResult = z.object({
  accepted: z.number(),
  earlyAdopter: z
    .array(z.string())
    .describe('Ids of the feedback items marked as early-adopter feedback'),
  routed: z.number().describe('Items handed to the product team (webhook or task)'),
});

async function routeAll(
  deps: ApiDependencies,
  items: (FeedbackInput & { earlyAdopter: boolean })[],
  log: FastifyBaseLogger,
): Promise<number> {
  let routed = 0;
  for (const item of items) {
    try {
      await deps.routeFeedback(item);
      routed += 1;
    } catch (error) {
      // The feedback stays stored with routed_at unset, so it can be routed again later.
      log.error(
        { err: error, feedbackId: item.id, accountId: item.accountId },
        'feedback routing failed',
      );
    }
  }
  return routed;
}

/**
 * Registers POST /v1/feedback: stores ideas, problems and praise (one
 * transaction), marks early adopters' items, then routes each to the
 * product team.
 */
export function registerFeedbackRoutes(
  app: FastifyInstance,
  deps: ApiDependencies,
  metrics: ServiceMetrics,
  maxBatch: number,
): void {
  app.withTypeProvider<ZodTypeProvider>().post('/v1/feedback', {
    schema: {
      summary: 'Store user feedback and route it to the product team',
      tags: ['ingest'],
      body: z.strictObject({ feedback: batch(feedbackInput, maxBatch) }),
      response: { 200: feedbackResult, ...errors },
    },
    handler: async (request) => {
      const { feedback } = request.body;
      await assertReferencesExist(deps.store, 'feedback', feedback, [
        { table: 'accounts', field: 'accountId', read: (f: { accountId: string }) => f.accountId },
        { table: 'users', field: 'userId', read: (f: { userId?: string | null }) => f.userId },
        {
          table: 'features',
          field: 'feature',
          read: (f: { feature?: string | null }) => f.feature,
        },
      ]);
      await assertUsersOfAccounts(deps.store, 'feedback', feedback);

      const marked = [];
      for (const item of feedback) {
        const earlyAdopter = await deps.isEarlyAdopter(item.accountId, item.feature ?? null);
        marked.push({ ...item, earlyAdopter });
      }
      await deps.ingest.insertFeedback(marked);
      metrics.ingested.inc({ kind: 'feedback', result: 'accepted' }, marked.length);

      const routed = await routeAll(deps, marked, request.log);
      const earlyAdopter = marked.filter((item) => item.earlyAdopter).map((item) => item.id);
      return { accepted: marked.length, earlyAdopter, routed };
    },
  });
}

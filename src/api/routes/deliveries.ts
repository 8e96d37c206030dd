import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { outboxStatuses } from '../../store/schema';
import type { ApiDependencies } from '../ports';
import { assertAccountStored } from '../references';
import { errorResponse } from '../schemas';

/** The outbox row of one planned action, as the account and deliveries routes return it. */
export const deliverySchema = z.object({
  idempotencyKey: z.string(),
  ruleId: z.string(),
  ruleSetVersion: z.string(),
  type: z.string().describe('email, notice, task or webhook'),
  recipient: z.string().describe('User id, CSM owner or webhook URL'),
  template: z.string().nullable(),
  status: z.enum(outboxStatuses),
  reason: z
    .string()
    .nullable()
    .describe('Why the action failed or was skipped, or the last error while pending'),
  attempts: z.number(),
  createdAt: z.number().describe('When the action was first claimed for delivery, epoch ms'),
  sentAt: z
    .number()
    .nullable()
    .describe('When the channel accepted it, epoch ms; null unless sent'),
  finishedAt: z
    .number()
    .nullable()
    .describe(
      'When it reached its final status (sent, failed or skipped), epoch ms; null while pending',
    ),
  messageId: z.string().nullable(),
});

/** Registers GET /v1/accounts/:accountId/deliveries. */
export function registerDeliveryRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  app.withTypeProvider<ZodTypeProvider>().get('/v1/accounts/:accountId/deliveries', {
    schema: {
      summary: 'Outbox rows of an account, newest first: status and reason of each delivery',
      tags: ['accounts'],
      params: z.object({ accountId: z.string().min(1) }),
      querystring: z.strictObject({
        status: z.enum(outboxStatuses).optional().describe('Only rows with this status'),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      response: {
        200: z.object({ deliveries: z.array(deliverySchema) }),
        401: errorResponse,
        404: errorResponse,
      },
    },
    handler: async (request) => {
      const { accountId } = request.params;
      await assertAccountStored(deps.store, accountId);
      const { status, limit } = request.query;
      const deliveries = await deps.listDeliveries(accountId, {
        limit,
        ...(status ? { status } : {}),
      });
      return { deliveries };
    },
  });
}

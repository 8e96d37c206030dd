import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { ApiError } from '../errors';
import type { ServiceMetrics } from '../metrics';
import type { ApiDependencies } from '../ports';
import { errorResponse } from '../schemas';
import { deliverySchema } from './deliveries';

const plannedAction = z.object({
  idempotencyKey: z.string(),
  accountId: z.string(),
  ruleId: z.string(),
  ruleSetVersion: z.string(),
  type: z.string(),
  template: z.string().optional(),
  params: z.record(z.string(), z.unknown()),
  recipient: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  notBefore: z.number().describe('Earliest delivery instant, epoch ms'),
  delivery: deliverySchema
    .nullable()
    .describe('Outbox row of the action; null until delivery starts'),
});

const explanation = z.object({
  stage: z.string(),
  notFired: z.array(z.unknown()),
  planned: z.array(plannedAction),
  transition: z.unknown(),
});

const accountState = z.object({
  account: z.record(z.string(), z.unknown()),
  stage: z.string(),
  signals: z.record(z.string(), z.unknown()).nullable(),
  decisions: z.array(
    z.object({
      checkedAt: z.number(),
      checkNumber: z.number().optional(),
      ruleSetVersion: z.string().optional(),
      fired: z.array(z.unknown()),
      held: z.array(z.unknown()),
      explanation: explanation.optional(),
    }),
  ),
});

/** Registers health, metrics and the account state route. */
export function registerStatusRoutes(
  app: FastifyInstance,
  deps: ApiDependencies,
  metrics: ServiceMetrics,
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get('/health', {
    schema: {
      summary: 'Liveness and store check (no token needed)',
      tags: ['status'],
      response: { 200: z.object({ status: z.literal('ok') }), 503: errorResponse },
    },
    handler: async () => {
      try {
        await sql`select 1`.execute(deps.store.db);
      } catch {
        throw new ApiError(503, 'store: the SQLite store did not respond to a query');
      }
      return { status: 'ok' as const };
    },
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });

  typed.get('/v1/accounts/:accountId', {
    schema: {
      summary: 'Stage, current signals and recent decisions (with explanations) of an account',
      tags: ['accounts'],
      params: z.object({ accountId: z.string().min(1) }),
      querystring: z.strictObject({
        asOf: z.iso
          .datetime({ offset: true })
          .optional()
          .describe('Compute signals as of this instant'),
      }),
      response: { 200: accountState, 401: errorResponse, 404: errorResponse },
    },
    handler: async (request) => {
      const asOf = request.query.asOf ? Date.parse(request.query.asOf) : Date.now();
      const state = await deps.readAccountState(request.params.accountId, asOf);
      if (!state) {
        const message = `account "${request.params.accountId}" not found`;
        throw new ApiError(404, `accountId: ${message}`, [{ field: 'accountId', message }]);
      }
      return state;
    },
  });
}

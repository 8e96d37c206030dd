import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountWorkflowId } from '../../temporal/client';
import { ApiError } from '../errors';
import type { ApiDependencies, LifecycleCommand } from '../ports';
import { assertAccountStored } from '../references';
import { errorResponse } from '../schemas';

const heldAction = z.object({ ruleId: z.string(), recipient: z.string(), reason: z.string() });

const decisionSummary = z.object({
  checkNumber: z.number(),
  at: z.number().describe('Workflow time of the check, epoch ms'),
  stage: z.string(),
  ruleSetVersion: z.string(),
  firedRuleIds: z.array(z.string()),
  plannedKeys: z.array(z.string()).describe('Idempotency keys of the planned actions'),
  held: z.array(heldAction).describe('Actions held back, with the reason'),
  waits: z
    .array(z.object({ idempotencyKey: z.string(), reason: z.string() }))
    .optional()
    .describe('Planned actions that wait before delivery, such as for quiet hours'),
  transition: z.unknown().optional(),
  error: z.string().optional().describe('Failure message of a check that failed'),
});

const lifecycleView = z.object({
  accountId: z.string(),
  stage: z.string(),
  termNumber: z.number(),
  renewalAt: z.number().nullable().describe('Renewal date as the workflow sees it, epoch ms'),
  nextCheckAt: z.number().nullable().describe('Next scheduled check, epoch ms; null while paused'),
  paused: z.boolean(),
  pendingActions: z.number().describe('Planned actions waiting for quiet hours to end'),
  waiting: z
    .array(
      z.object({
        idempotencyKey: z.string(),
        type: z.string(),
        ruleId: z.string(),
        recipient: z.string(),
        notBefore: z.number().describe('Earliest delivery, epoch ms'),
        wait: z.string().optional().describe('Reason of the wait, such as quiet hours'),
      }),
    )
    .optional()
    .describe('The waiting actions, soonest first'),
  checkNumber: z.number(),
  recentDecisions: z.array(decisionSummary),
});

const accepted = z.object({
  accountId: z.string(),
  signal: z.enum(['pause', 'resume', 'recheck']),
  workflowId: z.string(),
});

const params = z.object({ accountId: z.string().min(1) });

const summaries: Record<LifecycleCommand, string> = {
  pause: 'Pause the lifecycle workflow of an account: no checks or deliveries until resumed',
  resume: 'Resume a paused lifecycle workflow; a check that fell due runs at once',
  recheck: 'Check an account now instead of at its next scheduled check',
};

/** Registers the pause, resume and recheck signals and the workflow state query of an account. */
export function registerLifecycleRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  for (const command of ['pause', 'resume', 'recheck'] as const) {
    typed.post(`/v1/accounts/:accountId/${command}`, {
      schema: {
        summary: summaries[command],
        tags: ['lifecycle'],
        params,
        response: { 202: accepted, 401: errorResponse, 404: errorResponse, 503: errorResponse },
      },
      handler: async (request, reply) => {
        const { accountId } = request.params;
        await assertAccountStored(deps.store, accountId);
        await deps.lifecycle.sendSignal(accountId, command);
        request.log.info({ accountId, signal: command }, 'lifecycle signal sent');
        return reply
          .code(202)
          .send({ accountId, signal: command, workflowId: accountWorkflowId(accountId) });
      },
    });
  }

  typed.get('/v1/accounts/:accountId/lifecycle', {
    schema: {
      summary: 'State of the lifecycle workflow of an account, as its `state` query returns it',
      tags: ['lifecycle'],
      params,
      response: { 200: lifecycleView, 401: errorResponse, 404: errorResponse, 503: errorResponse },
    },
    handler: async (request) => {
      const { accountId } = request.params;
      await assertAccountStored(deps.store, accountId);
      const view = await deps.lifecycle.readState(accountId);
      if (!view) {
        const message =
          `no lifecycle workflow runs for account "${accountId}"; PUT the account again ` +
          'with PUT /v1/accounts, or POST /v1/accounts/:id/recheck, to start it';
        throw new ApiError(404, `accountId: ${message}`, [{ field: 'accountId', message }]);
      }
      return view;
    },
  });
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../errors';
import type { ApiDependencies } from '../ports';
import { findStoredIds } from '../references';
import { errorResponse, instant } from '../schemas';

const errors = { 400: errorResponse, 401: errorResponse, 404: errorResponse, 409: errorResponse };

const notice = z.object({
  id: z.union([z.string(), z.number()]),
  title: z.string(),
  body: z.string(),
  ruleId: z.string().optional(),
  createdAt: z.number(),
  readAt: z.number().nullable(),
  dismissedAt: z.number().nullable(),
});

const task = z.object({
  id: z.union([z.string(), z.number()]),
  accountId: z.string(),
  ruleId: z.string().nullable(),
  owner: z.string(),
  title: z.string(),
  description: z.string(),
  priority: z.union([z.string(), z.number()]),
  status: z.enum(['open', 'done', 'snoozed']),
  dueAt: z.number().nullable(),
  snoozedUntil: z.number().nullable(),
  evidence: z.unknown(),
  createdAt: z.number(),
  closedReason: z
    .string()
    .nullable()
    .describe('Reason Uptake closed the task, such as its rule no longer firing; null otherwise'),
});

const userParams = z.object({ userId: z.string().min(1) });
const noticeParams = z.object({ userId: z.string().min(1), noticeId: z.string().min(1) });
const taskParams = z.object({ taskId: z.string().min(1) });
const ok = z.object({ ok: z.literal(true) });

function notFound(field: string, message: string): ApiError {
  return new ApiError(404, `${field}: ${message}`, [{ field, message }]);
}

/** Registers the in-app notice routes for a user and the CSM task routes. */
export function registerInboxRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { delivery } = deps;

  typed.get('/v1/users/:userId/notices', {
    schema: {
      summary: 'In-app notices of a user (unread only unless all=true)',
      tags: ['notices'],
      params: userParams,
      querystring: z.strictObject({ all: z.stringbool().default(false) }),
      response: { 200: z.object({ notices: z.array(notice) }), ...errors },
    },
    handler: async (request) => {
      const { userId } = request.params;
      await assertUserExists(deps, userId);
      return { notices: await delivery.listNotices(userId, { unread: !request.query.all }) };
    },
  });

  for (const action of ['read', 'dismiss'] as const) {
    typed.post(`/v1/users/:userId/notices/:noticeId/${action}`, {
      schema: {
        summary: action === 'read' ? 'Mark a notice read' : 'Dismiss a notice',
        tags: ['notices'],
        params: noticeParams,
        response: { 200: ok, ...errors },
      },
      handler: async (request) => {
        const { userId, noticeId } = request.params;
        const change = action === 'read' ? delivery.markNoticeRead : delivery.dismissNotice;
        if (!(await change.call(delivery, userId, noticeId))) {
          throw notFound('noticeId', `notice "${noticeId}" of user "${userId}" not found`);
        }
        return { ok: true as const };
      },
    });
  }

  typed.get('/v1/tasks', {
    schema: {
      summary: 'CSM tasks, filtered by owner and status',
      tags: ['tasks'],
      querystring: z.strictObject({
        owner: z.string().min(1).optional(),
        status: z.enum(['open', 'done', 'snoozed']).optional(),
      }),
      response: { 200: z.object({ tasks: z.array(task) }), ...errors },
    },
    handler: async (request) => ({ tasks: await delivery.listTasks(request.query) }),
  });

  typed.post('/v1/tasks/:taskId/complete', {
    schema: {
      summary: 'Complete a task',
      tags: ['tasks'],
      params: taskParams,
      response: { 200: ok, ...errors },
    },
    handler: async (request) => {
      if (!(await delivery.completeTask(request.params.taskId))) {
        throw notFound('taskId', `task "${request.params.taskId}" not found`);
      }
      return { ok: true as const };
    },
  });

  typed.post('/v1/tasks/:taskId/snooze', {
    schema: {
      summary: 'Snooze a task until an instant',
      tags: ['tasks'],
      params: taskParams,
      body: z.strictObject({ until: instant }),
      response: { 200: ok, ...errors },
    },
    handler: async (request) => {
      if (!(await delivery.snoozeTask(request.params.taskId, request.body.until))) {
        throw notFound('taskId', `task "${request.params.taskId}" not found`);
      }
      return { ok: true as const };
    },
  });
}

async function assertUserExists(deps: ApiDependencies, userId: string): Promise<void> {
  const stored = await findStoredIds(deps.store, 'users', [userId]);
  if (!stored.has(userId)) throw notFound('userId', `user "${userId}" not found`);
}

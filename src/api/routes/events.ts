import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Store } from '../../store/database';
import { unknownReferences, type FieldIssue } from '../errors';
import type { ServiceMetrics } from '../metrics';
import type { ApiDependencies } from '../ports';
import { assertReferencesExist, assertUsersOfAccounts, type Reference } from '../references';
import {
  batch,
  errorResponse,
  goalMetInput,
  milestoneCompletionInput,
  usageEventInput,
} from '../schemas';

// Checked before the milestone or goal key, so an unknown account is named as such.
const accountRef: Reference = {
  table: 'accounts',
  field: 'accountId',
  read: (item: { accountId: string }) => item.accountId,
};

const errors = { 400: errorResponse, 401: errorResponse, 413: errorResponse, 422: errorResponse };

/**
 * Raises a 422 for every item naming a milestone or goal (account id and key)
 * that is not stored.
 */
async function assertKeyedRowsExist(
  store: Store,
  table: 'milestones' | 'goals',
  batchName: string,
  items: { accountId: string; key: string }[],
): Promise<void> {
  const rows = await sql<{
    account_id: string;
    key: string;
  }>`select account_id, key from ${sql.table(
    table,
  )} where account_id in (${sql.join([...new Set(items.map((item) => item.accountId))])})`.execute(
    store.db,
  );
  const stored = new Set(rows.rows.map((row) => `${row.account_id}\u0000${row.key}`));
  const issues: FieldIssue[] = [];
  items.forEach((item, index) => {
    if (!stored.has(`${item.accountId}\u0000${item.key}`)) {
      issues.push({
        field: `${batchName}[${index}].key`,
        message: `${table === 'goals' ? 'goal' : 'milestone'} "${item.key}" of account "${item.accountId}" not found; create it first`,
      });
    }
  });
  if (issues.length > 0) throw unknownReferences(issues);
}

/** Registers usage-event ingest and the milestone-completion and goal-met event routes. */
export function registerEventRoutes(
  app: FastifyInstance,
  deps: ApiDependencies,
  metrics: ServiceMetrics,
  maxBatch: number,
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.post('/v1/events', {
    schema: {
      summary: 'Store a batch of usage events; an event id seen before counts as a duplicate',
      tags: ['ingest'],
      body: z.strictObject({ events: batch(usageEventInput, maxBatch) }),
      response: { 200: z.object({ accepted: z.number(), duplicates: z.number() }), ...errors },
    },
    handler: async (request) => {
      const { events } = request.body;
      await assertReferencesExist(deps.store, 'events', events, [
        { table: 'accounts', field: 'accountId', read: (e: { accountId: string }) => e.accountId },
        { table: 'users', field: 'userId', read: (e: { userId?: string | null }) => e.userId },
        {
          table: 'features',
          field: 'feature',
          read: (e: { feature?: string | null }) => e.feature,
        },
      ]);
      await assertUsersOfAccounts(deps.store, 'events', events);
      const { inserted, duplicates } = await deps.ingest.insertUsageEvents(events);
      metrics.ingested.inc({ kind: 'events', result: 'accepted' }, inserted);
      metrics.ingested.inc({ kind: 'events', result: 'duplicate' }, duplicates);
      return { accepted: inserted, duplicates };
    },
  });

  typed.post('/v1/milestones/completions', {
    schema: {
      summary: 'Record milestone completions and signal the accounts’ workflows',
      tags: ['ingest'],
      body: z.strictObject({ completions: batch(milestoneCompletionInput, maxBatch) }),
      response: { 200: z.object({ accepted: z.number() }), ...errors },
    },
    handler: async (request) => {
      const { completions } = request.body;
      await assertReferencesExist(deps.store, 'completions', completions, [accountRef]);
      await assertKeyedRowsExist(deps.store, 'milestones', 'completions', completions);
      await deps.ingest.completeMilestones(completions);
      metrics.ingested.inc(
        { kind: 'milestone_completions', result: 'accepted' },
        completions.length,
      );
      await deps.workflows.milestonesCompleted(completions);
      return { accepted: completions.length };
    },
  });

  typed.post('/v1/goals/met', {
    schema: {
      summary: 'Record goals met (conditions of success reached)',
      tags: ['ingest'],
      body: z.strictObject({ goals: batch(goalMetInput, maxBatch) }),
      response: { 200: z.object({ accepted: z.number() }), ...errors },
    },
    handler: async (request) => {
      const { goals } = request.body;
      await assertReferencesExist(deps.store, 'goals', goals, [accountRef]);
      await assertKeyedRowsExist(deps.store, 'goals', 'goals', goals);
      await deps.ingest.markGoalsMet(goals);
      metrics.ingested.inc({ kind: 'goals_met', result: 'accepted' }, goals.length);
      return { accepted: goals.length };
    },
  });
}

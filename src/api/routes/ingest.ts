import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertRenewalAfterStart } from '../contract-dates';
import { ApiError } from '../errors';
import type { ServiceMetrics } from '../metrics';
import type { ApiDependencies } from '../ports';
import { assertReferencesExist, assertUsersOfAccounts, type Reference } from '../references';
import {
  accountInput,
  batch,
  contractInput,
  errorResponse,
  featureInput,
  goalInput,
  milestoneInput,
  ticketInput,
  userInput,
} from '../schemas';

const accountRef: Reference = {
  table: 'accounts',
  field: 'accountId',
  read: (item: { accountId: string }) => item.accountId,
};
const userRef: Reference = {
  table: 'users',
  field: 'userId',
  read: (item: { userId?: string | null }) => item.userId,
};

const accepted = z.object({ accepted: z.number().int() });

/** OpenAPI description shared by the upsert routes, which all merge through the same writer. */
const upsertDescription =
  'Creates the items that are not stored yet and updates the stored ones, ' +
  'all or none of the batch. For a stored item, fields left out keep their stored value ' +
  'and a field sent as null clears it. A new item gets the default of each field left out.';

const errors = { 400: errorResponse, 401: errorResponse, 413: errorResponse, 422: errorResponse };

/** One upsert collection: its URL, body field, item schema, references and writer. */
interface Collection<T extends z.ZodType> {
  name: string;
  item: T;
  references: Reference[];
  /** Check of the items against stored rows that runs once every reference is found. */
  check?: (rows: z.output<T>[]) => Promise<void>;
  write: (rows: z.output<T>[]) => Promise<void>;
  after?: (rows: z.output<T>[]) => Promise<void>;
  summary: string;
  /** Route-specific rule added to the shared upsert description. */
  note?: string;
}

/** Raises a 400 that shows the wrapping object when the body is a bare JSON array. */
function rejectBareArray(body: unknown, name: string): void {
  if (!Array.isArray(body)) return;
  const message =
    `expected an object such as {"${name}": [...]}, received an array; ` +
    `wrap the items as {"${name}": [...]}`;
  throw new ApiError(400, `body: ${message}`, [{ field: 'body', message }]);
}

/** Registers PUT and POST /v1/<name> with body `{ <name>: [...] }`, one transaction per request. */
function registerCollection<T extends z.ZodType>(
  app: FastifyInstance,
  deps: ApiDependencies,
  metrics: ServiceMetrics,
  maxBatch: number,
  collection: Collection<T>,
): void {
  const body = z.strictObject({ [collection.name]: batch(collection.item, maxBatch) });
  app.withTypeProvider<ZodTypeProvider>().route({
    preValidation: async (request) => rejectBareArray(request.body, collection.name),
    method: ['PUT', 'POST'],
    url: `/v1/${collection.name}`,
    schema: {
      summary: collection.summary,
      description: collection.note ? `${upsertDescription} ${collection.note}` : upsertDescription,
      tags: ['ingest'],
      body,
      response: { 200: accepted, ...errors },
    },
    handler: async (request) => {
      const rows = (request.body as Record<string, z.output<T>[]>)[collection.name] ?? [];
      await assertReferencesExist(deps.store, collection.name, rows, collection.references);
      await collection.check?.(rows);
      await collection.write(rows);
      metrics.ingested.inc({ kind: collection.name, result: 'accepted' }, rows.length);
      await collection.after?.(rows);
      return { accepted: rows.length };
    },
  });
}

/** Registers the upsert routes for accounts, users, contracts, features, tickets, milestones and goals. */
export function registerIngestRoutes(
  app: FastifyInstance,
  deps: ApiDependencies,
  metrics: ServiceMetrics,
  maxBatch: number,
): void {
  const { ingest, workflows } = deps;
  const register = <T extends z.ZodType>(collection: Collection<T>) =>
    registerCollection(app, deps, metrics, maxBatch, collection);

  register({
    name: 'accounts',
    item: accountInput,
    references: [],
    write: (rows) => ingest.upsertAccounts(rows),
    after: (rows) => workflows.accountsUpserted(rows.map((row) => row.id)),
    summary: 'Create or update accounts and start their lifecycle workflows',
  });
  register({
    name: 'users',
    item: userInput,
    references: [accountRef],
    write: (rows) => ingest.upsertUsers(rows),
    summary: 'Create or update users of accounts',
  });
  register({
    name: 'contracts',
    item: contractInput,
    references: [accountRef],
    check: (rows) => assertRenewalAfterStart(deps.store, rows),
    write: (rows) => ingest.upsertContracts(rows),
    after: (rows) => workflows.contractsChanged([...new Set(rows.map((row) => row.accountId))]),
    summary: 'Create or update contract terms; running workflows move their renewal timers',
  });
  register({
    name: 'features',
    item: featureInput,
    references: [],
    write: (rows) => ingest.upsertFeatures(rows),
    summary: 'Create or update features of the product',
  });
  register({
    name: 'tickets',
    item: ticketInput,
    references: [accountRef, userRef],
    check: (rows) => assertUsersOfAccounts(deps.store, 'tickets', rows),
    write: (rows) => ingest.upsertTickets(rows),
    summary: 'Create or update support tickets',
  });
  register({
    name: 'milestones',
    item: milestoneInput,
    references: [accountRef],
    write: (rows) => ingest.upsertMilestones(rows),
    summary: 'Create or update onboarding milestones with their due dates',
    note: 'A stored completedAt is never cleared or moved later, because the earliest completion is kept.',
  });
  register({
    name: 'goals',
    item: goalInput,
    references: [accountRef],
    write: (rows) => ingest.upsertGoals(rows),
    summary: 'Create or update goals (conditions of success) of accounts',
    note: 'A stored metAt is never cleared or moved later, because the earliest time is kept.',
  });
}

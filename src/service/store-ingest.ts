import type { IngestWriter } from '../api/ports';
import { mergeWithStored, type MergeSpec } from '../api/partial-upsert';
import type { Store } from '../store/database';
import {
  completeMilestones,
  insertFeedback,
  insertUsageEvents,
  markGoalsMet,
  upsertAccounts,
  upsertContracts,
  upsertFeatures,
  upsertGoals,
  upsertMilestones,
  upsertTickets,
  upsertUsers,
  type AccountInput as AccountRow,
  type ContractInput as ContractRow,
  type FeatureInput as FeatureRow,
  type NewGoal,
  type NewMilestone,
  type NewTicket,
  type UserInput as UserRow,
} from '../store/ingest';
import { runInTransaction } from '../store/ingest-chunks';

const bit = (flag: boolean | undefined): number => (flag ? 1 : 0);

/** Converts an optional flag to 0/1 and keeps undefined, which means "left out". */
const optionalBit = (flag: boolean | undefined): number | undefined =>
  flag === undefined ? undefined : bit(flag);

/**
 * Reads the stored rows of the items' keys and lays each item's provided columns over them,
 * or over `spec.defaults` for a new row. Writes the result with `write` in the same transaction,
 * so a batch is stored whole or not at all.
 */
async function writeMerged<Row extends object>(
  store: Store,
  spec: MergeSpec<Row>,
  items: Partial<Row>[],
  write: (store: Store, rows: Row[]) => Promise<unknown>,
): Promise<void> {
  await runInTransaction(store.db, async (trx) => {
    const rows = await mergeWithStored(trx, spec, items);
    await write({ ...store, db: trx }, rows);
  });
}

/**
 * Maps the API's camelCase items to store rows and writes them with the
 * shared batch writes of src/store/ingest.ts (one transaction per call).
 * An upsert changes only the fields an item provides. A field left out (undefined)
 * keeps the stored value, null clears it, and a new row takes the defaults below.
 * `now` stamps created_at/updated_at where the client sent none.
 */
export function createStoreIngest(store: Store, now: () => number = Date.now): IngestWriter {
  return {
    async upsertAccounts(rows) {
      const at = now();
      // A new account starts in onboarding; an existing one keeps the stage the lifecycle set.
      const defaults: Partial<AccountRow> = {
        plan: null,
        csm_owner: null,
        csm_email: null,
        timezone: 'UTC',
        stage: 'onboarding',
        attributes: '{}',
        created_at: at,
      };
      const items = rows.map((row): Partial<AccountRow> => ({
        id: row.id,
        name: row.name,
        plan: row.plan,
        csm_owner: row.csmOwner,
        csm_email: row.csmEmail,
        timezone: row.timezone,
        attributes: row.attributes === undefined ? undefined : JSON.stringify(row.attributes),
        created_at: row.createdAt,
        updated_at: at,
      }));
      await writeMerged(
        store,
        {
          table: 'accounts',
          keyColumns: ['id'],
          defaults,
          requiredForNew: { name: 'name' },
          collection: 'accounts',
        },
        items,
        upsertAccounts,
      );
    },
    async upsertUsers(rows) {
      const at = now();
      // An existing user keeps its subscription state; unsubscribing goes through its own route.
      const defaults: Partial<UserRow> = {
        email: null,
        name: null,
        role: 'user',
        timezone: null,
        subscribed: 1,
        created_at: at,
      };
      const items = rows.map((row): Partial<UserRow> => ({
        id: row.id,
        account_id: row.accountId,
        email: row.email,
        name: row.name,
        role: row.role,
        timezone: row.timezone,
        created_at: row.createdAt,
        updated_at: at,
      }));
      await writeMerged(
        store,
        { table: 'users', keyColumns: ['id'], defaults },
        items,
        upsertUsers,
      );
    },
    async upsertContracts(rows) {
      const at = now();
      const defaults: Partial<ContractRow> = {
        seats: null,
        value: null,
        status: 'active',
        outcome: null,
        outcome_at: null,
      };
      const items = rows.map((row): Partial<ContractRow> => ({
        id: row.id,
        account_id: row.accountId,
        term_number: row.termNumber,
        start_at: row.startAt,
        renewal_at: row.renewalAt,
        seats: row.seats,
        value: row.value,
        status: row.status,
        outcome: row.outcome,
        outcome_at: row.outcomeAt,
        updated_at: at,
      }));
      const spec = {
        table: 'contracts',
        keyColumns: ['id'],
        defaults,
        requiredForNew: { term_number: 'termNumber', start_at: 'startAt', renewal_at: 'renewalAt' },
      } as const;
      await writeMerged(store, spec, items, upsertContracts);
    },
    async upsertFeatures(rows) {
      const defaults: Partial<FeatureRow> = { released_at: null, is_key: 0, help_url: null };
      const items = rows.map((row): Partial<FeatureRow> => ({
        key: row.key,
        name: row.name,
        released_at: row.releasedAt,
        is_key: optionalBit(row.isKey),
        help_url: row.helpUrl,
      }));
      const spec = {
        table: 'features',
        keyColumns: ['key'],
        defaults,
        requiredForNew: { name: 'name' },
      } as const;
      await writeMerged(store, spec, items, upsertFeatures);
    },
    insertUsageEvents: (rows) =>
      insertUsageEvents(
        store,
        rows.map((row) => ({
          event_id: row.id,
          account_id: row.accountId,
          user_id: row.userId ?? null,
          feature_key: row.feature ?? null,
          occurred_at: row.occurredAt,
          count: row.count,
        })),
      ),
    ...createProgressWriters(store, now),
  };
}

function createProgressWriters(
  store: Store,
  now: () => number,
): Omit<
  IngestWriter,
  'upsertAccounts' | 'upsertUsers' | 'upsertContracts' | 'upsertFeatures' | 'insertUsageEvents'
> {
  return {
    async upsertMilestones(rows) {
      const items = rows.map((row): Partial<NewMilestone> => ({
        account_id: row.accountId,
        key: row.key,
        name: row.name,
        due_at: row.dueAt,
        completed_at: row.completedAt,
      }));
      const defaults: Partial<NewMilestone> = { due_at: null, completed_at: null };
      const spec = {
        table: 'milestones',
        keyColumns: ['account_id', 'key'],
        defaults,
        requiredForNew: { name: 'name' },
      } as const;
      await writeMerged(store, spec, items, upsertMilestones);
    },
    async completeMilestones(rows) {
      await completeMilestones(
        store,
        rows.map((row) => ({
          account_id: row.accountId,
          key: row.key,
          completed_at: row.completedAt,
        })),
      );
    },
    async upsertGoals(rows) {
      const items = rows.map((row): Partial<NewGoal> => ({
        account_id: row.accountId,
        key: row.key,
        name: row.name,
        due_at: row.dueAt,
        met_at: row.metAt,
      }));
      const defaults: Partial<NewGoal> = { due_at: null, met_at: null };
      const spec = {
        table: 'goals',
        keyColumns: ['account_id', 'key'],
        defaults,
        requiredForNew: { name: 'name' },
      } as const;
      await writeMerged(store, spec, items, upsertGoals);
    },
    async markGoalsMet(rows) {
      await markGoalsMet(
        store,
        rows.map((row) => ({ account_id: row.accountId, key: row.key, met_at: row.metAt })),
      );
    },
    async upsertTickets(rows) {
      const items = rows.map((row): Partial<NewTicket> => ({
        id: row.id,
        account_id: row.accountId,
        user_id: row.userId,
        opened_at: row.openedAt,
        closed_at: row.closedAt,
        priority: row.priority,
        subject: row.subject,
        satisfaction: row.satisfaction,
      }));
      const defaults: Partial<NewTicket> = {
        user_id: null,
        closed_at: null,
        priority: null,
        subject: null,
        satisfaction: null,
      };
      await writeMerged(
        store,
        {
          table: 'tickets',
          keyColumns: ['id'],
          defaults,
          requiredForNew: { opened_at: 'openedAt' },
        },
        items,
        upsertTickets,
      );
    },
    async insertFeedback(rows) {
      const at = now();
      await insertFeedback(
        store,
        rows.map((row) => ({
          id: row.id,
          account_id: row.accountId,
          user_id: row.userId ?? null,
          kind: row.kind,
          feature_key: row.feature ?? null,
          body: row.body,
          early_adopter: bit(row.earlyAdopter),
          created_at: row.createdAt ?? at,
          routed_at: null,
        })),
      );
    },
  };
}

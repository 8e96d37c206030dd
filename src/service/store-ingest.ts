import type { IngestWriter } from '../api/ports';
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
} from '../store/ingest';

const bit = (flag: boolean | undefined): number => (flag ? 1 : 0);

/**
 * Maps the API's camelCase items to store rows and writes them with the
 * shared batch writes of src/store/ingest.ts (one transaction per call).
 * `now` stamps created_at/updated_at where the client sent none.
 */
export function createStoreIngest(store: Store, now: () => number = Date.now): IngestWriter {
  return {
    async upsertAccounts(rows) {
      const at = now();
      await upsertAccounts(
        store,
        rows.map((row) => ({
          id: row.id,
          name: row.name,
          plan: row.plan ?? null,
          csm_owner: row.csmOwner ?? null,
          csm_email: row.csmEmail ?? null,
          timezone: row.timezone,
          // A new account starts in onboarding; an existing one keeps the stage the lifecycle set.
          stage: 'onboarding',
          attributes: JSON.stringify(row.attributes),
          created_at: row.createdAt ?? at,
          updated_at: at,
        })),
      );
    },
    async upsertUsers(rows) {
      const at = now();
      await upsertUsers(
        store,
        rows.map((row) => ({
          id: row.id,
          account_id: row.accountId,
          email: row.email ?? null,
          name: row.name ?? null,
          role: row.role,
          timezone: row.timezone ?? null,
          // An existing user keeps its subscription state; unsubscribing goes through its own route.
          subscribed: 1,
          created_at: row.createdAt ?? at,
          updated_at: at,
        })),
      );
    },
    async upsertContracts(rows) {
      const at = now();
      await upsertContracts(
        store,
        rows.map((row) => ({
          id: row.id,
          account_id: row.accountId,
          term_number: row.termNumber,
          start_at: row.startAt,
          renewal_at: row.renewalAt,
          seats: row.seats ?? null,
          value: row.value ?? null,
          status: row.status,
          outcome: row.outcome ?? null,
          outcome_at: row.outcomeAt ?? null,
          updated_at: at,
        })),
      );
    },
    async upsertFeatures(rows) {
      await upsertFeatures(
        store,
        rows.map((row) => ({
          key: row.key,
          name: row.name,
          released_at: row.releasedAt ?? null,
          is_key: bit(row.isKey),
          help_url: row.helpUrl ?? null,
        })),
      );
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
      await upsertMilestones(
        store,
        rows.map((row) => ({
          account_id: row.accountId,
          key: row.key,
          name: row.name,
          due_at: row.dueAt ?? null,
          completed_at: row.completedAt ?? null,
        })),
      );
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
      await upsertGoals(
        store,
        rows.map((row) => ({
          account_id: row.accountId,
          key: row.key,
          name: row.name,
          due_at: row.dueAt ?? null,
          met_at: row.metAt ?? null,
        })),
      );
    },
    async markGoalsMet(rows) {
      await markGoalsMet(
        store,
        rows.map((row) => ({ account_id: row.accountId, key: row.key, met_at: row.metAt })),
      );
    },
    async upsertTickets(rows) {
      await upsertTickets(
        store,
        rows.map((row) => ({
          id: row.id,
          account_id: row.accountId,
          user_id: row.userId ?? null,
          opened_at: row.openedAt,
          closed_at: row.closedAt ?? null,
          priority: row.priority ?? null,
          subject: row.subject ?? null,
          satisfaction: row.satisfaction ?? null,
        })),
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

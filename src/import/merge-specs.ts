import type { ImportMergeSpec, PartialRow } from '../store/ingest-merge';

/*
 * How imported partial rows merge with stored rows, per table. The defaults here apply only
 * to a new row; an existing row keeps every column its mapping leaves out.
 */

/** Lays a JSON object of attributes over the stored ones; a null value removes one. */
function mergeAttributes(stored: unknown, provided: unknown): string {
  const base = JSON.parse(typeof stored === 'string' ? stored : '{}') as Record<string, unknown>;
  const changes = JSON.parse(String(provided)) as Record<string, string | null>;
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete base[name];
    else base[name] = value;
  }
  return JSON.stringify(base);
}

function withoutEmptyAttributes(provided: unknown): string {
  return provided === undefined ? '{}' : mergeAttributes('{}', provided);
}

function or<T>(value: unknown, fallback: T): unknown {
  return value === undefined ? fallback : value;
}

/** Merge rules of the tables an import upserts; `now` stamps created_at and updated_at. */
export function mergeSpecs(now: number) {
  const accounts: ImportMergeSpec = {
    table: 'accounts',
    keyColumns: ['id'],
    // The lifecycle, not the source, owns the stage and the first-seen time of an account.
    keep: ['created_at'],
    combine: { attributes: mergeAttributes },
    touched: 'updated_at',
    now,
    insertRow: (item: PartialRow) => ({
      id: item.id,
      name: or(item.name, item.id),
      plan: or(item.plan, null),
      csm_owner: or(item.csm_owner, null),
      csm_email: or(item.csm_email, null),
      timezone: or(item.timezone, 'UTC'),
      stage: 'onboarding',
      attributes: withoutEmptyAttributes(item.attributes),
      created_at: or(item.created_at, now),
    }),
  };
  const users: ImportMergeSpec = {
    table: 'users',
    keyColumns: ['id'],
    keep: ['created_at'],
    touched: 'updated_at',
    now,
    insertRow: (item) => ({
      id: item.id,
      account_id: item.account_id,
      email: or(item.email, null),
      name: or(item.name, null),
      role: or(item.role, 'user'),
      timezone: or(item.timezone, null),
      subscribed: 1,
      created_at: or(item.created_at, now),
    }),
  };
  const contracts: ImportMergeSpec = {
    table: 'contracts',
    keyColumns: ['id'],
    touched: 'updated_at',
    now,
    insertRow: (item) => ({
      id: item.id,
      account_id: item.account_id,
      term_number: or(item.term_number, 0),
      start_at: item.start_at,
      renewal_at: item.renewal_at,
      seats: or(item.seats, null),
      value: or(item.value, null),
      status: or(item.status, 'active'),
      outcome: or(item.outcome, null),
      outcome_at: or(item.outcome_at, null),
    }),
  };
  const features: ImportMergeSpec = {
    table: 'features',
    keyColumns: ['key'],
    insertRow: (item) => ({
      key: item.key,
      name: or(item.name, item.key),
      released_at: or(item.released_at, null),
      is_key: or(item.is_key, 0),
      help_url: or(item.help_url, null),
    }),
  };
  const tickets: ImportMergeSpec = {
    table: 'tickets',
    keyColumns: ['id'],
    insertRow: (item) => ({
      id: item.id,
      account_id: item.account_id,
      user_id: or(item.user_id, null),
      opened_at: item.opened_at,
      closed_at: or(item.closed_at, null),
      priority: or(item.priority, null),
      subject: or(item.subject, null),
      satisfaction: or(item.satisfaction, null),
    }),
  };
  const keyed = (table: 'milestones' | 'goals', instants: string[]): ImportMergeSpec => ({
    table,
    keyColumns: ['account_id', 'key'],
    insertRow: (item) => ({
      account_id: item.account_id,
      key: item.key,
      name: or(item.name, item.key),
      ...Object.fromEntries(instants.map((column) => [column, or(item[column], null)])),
    }),
  });
  return {
    accounts,
    users,
    contracts,
    features,
    tickets,
    milestones: keyed('milestones', ['due_at', 'completed_at']),
    goals: keyed('goals', ['due_at', 'met_at']),
  };
}

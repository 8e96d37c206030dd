import type { NewFeature, NewFeedback, NewGoal, NewMilestone, NewTicket } from '../store/ingest';
import type { MilestoneCompletion } from '../store/ingest';
import type { NewAccount, NewContract, NewUsageEvent, NewUser, TermOutcome } from '../store/schema';
import type { FieldValue } from './row-mapper';

/*
 * Conversions from mapped entity fields (already typed and checked) to store rows.
 * Optional fields left out of a mapping become null or the store's default.
 */

type Fields = Record<string, FieldValue>;

function text(value: FieldValue | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

function number(value: FieldValue | undefined): number | null {
  return typeof value === 'number' ? value : null;
}

/** A term outcome before its contract is known, when the source names only the account. */
export interface PendingOutcome {
  line: number;
  /** Source column of the outcome's time, named if no contract matches. */
  column?: string;
  accountId: string;
  contractId: string | null;
  outcome: TermOutcome;
  at: number;
}

/** Builds an account row; unmapped name defaults to the id, created_at to `now`. */
export function toAccount(fields: Fields, now: number): NewAccount {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith('attributes.') && value !== null) {
      attributes[name.slice('attributes.'.length)] = String(value);
    }
  }
  return {
    id: String(fields.id),
    name: text(fields.name) ?? String(fields.id),
    plan: text(fields.plan),
    csm_owner: text(fields.csmOwner),
    csm_email: text(fields.csmEmail),
    timezone: text(fields.timezone) ?? 'UTC',
    stage: 'onboarding',
    attributes: JSON.stringify(attributes),
    created_at: number(fields.createdAt) ?? now,
    updated_at: now,
  };
}

/** Builds a user row; the role defaults to "user". */
export function toUser(fields: Fields, now: number): NewUser {
  return {
    id: String(fields.id),
    account_id: String(fields.accountId),
    email: text(fields.email),
    name: text(fields.name),
    role: text(fields.role) ?? 'user',
    timezone: text(fields.timezone),
    subscribed: 1,
    created_at: number(fields.createdAt) ?? now,
    updated_at: now,
  };
}

/** Builds a contract row; a missing term number is 0 until the terms are renumbered. */
export function toContract(fields: Fields, now: number): NewContract {
  const outcome = text(fields.outcome) as TermOutcome | null;
  return {
    id: String(fields.id),
    account_id: String(fields.accountId),
    term_number: number(fields.termNumber) ?? 0,
    start_at: Number(fields.startAt),
    renewal_at: Number(fields.renewalAt),
    seats: number(fields.seats),
    value: number(fields.value),
    status: (text(fields.status) as NewContract['status']) ?? (outcome ? 'ended' : 'active'),
    outcome,
    outcome_at: number(fields.outcomeAt),
    updated_at: now,
  };
}

/** Builds a feature row; the name defaults to the key. */
export function toFeature(fields: Fields): NewFeature {
  return {
    key: String(fields.key),
    name: text(fields.name) ?? String(fields.key),
    released_at: number(fields.releasedAt),
    is_key: fields.isKey === true ? 1 : 0,
    help_url: text(fields.helpUrl),
  };
}

/** Builds a usage event whose id is stable across runs: the file name plus a row key. */
export function toUsageEvent(fields: Fields, eventId: string): NewUsageEvent {
  return {
    event_id: eventId,
    account_id: String(fields.accountId),
    user_id: text(fields.userId),
    feature_key: text(fields.featureKey),
    occurred_at: Number(fields.occurredAt),
    count: number(fields.count) ?? 1,
  };
}

/** Builds a milestone row; the name defaults to the key. */
export function toMilestone(fields: Fields): NewMilestone {
  return {
    account_id: String(fields.accountId),
    key: String(fields.key),
    name: text(fields.name) ?? String(fields.key),
    due_at: number(fields.dueAt),
    completed_at: number(fields.completedAt),
  };
}

/** Builds a milestone completion. */
export function toCompletion(fields: Fields): MilestoneCompletion {
  return {
    account_id: String(fields.accountId),
    key: String(fields.key),
    completed_at: Number(fields.completedAt),
  };
}

/** Builds a goal row; the name defaults to the key. */
export function toGoal(fields: Fields): NewGoal {
  return {
    account_id: String(fields.accountId),
    key: String(fields.key),
    name: text(fields.name) ?? String(fields.key),
    due_at: number(fields.dueAt),
    met_at: number(fields.metAt),
  };
}

/** Builds a support ticket row. */
export function toTicket(fields: Fields): NewTicket {
  return {
    id: String(fields.id),
    account_id: String(fields.accountId),
    user_id: text(fields.userId),
    opened_at: Number(fields.openedAt),
    closed_at: number(fields.closedAt),
    priority: text(fields.priority),
    subject: text(fields.subject),
    satisfaction: number(fields.satisfaction),
  };
}

/** Builds a feedback row. */
export function toFeedback(fields: Fields): NewFeedback {
  return {
    id: String(fields.id),
    account_id: String(fields.accountId),
    user_id: text(fields.userId),
    kind: String(fields.kind) as NewFeedback['kind'],
    feature_key: text(fields.featureKey),
    body: String(fields.body),
    early_adopter: 0,
    created_at: Number(fields.createdAt),
  };
}

/** Builds a term outcome waiting for its contract to be resolved. */
export function toPendingOutcome(fields: Fields, line: number, column?: string): PendingOutcome {
  return {
    line,
    column,
    accountId: String(fields.accountId),
    contractId: text(fields.contractId),
    outcome: String(fields.outcome) as TermOutcome,
    at: Number(fields.at),
  };
}

import type { NewFeedback, MilestoneCompletion } from '../store/ingest';
import type { PartialRow } from '../store/ingest-merge';
import type { NewUsageEvent, TermOutcome } from '../store/schema';
import type { FieldValue } from './row-mapper';

/*
 * Conversions from mapped entity fields (already typed and checked) to store rows. The
 * upserted entities become partial rows holding only the columns their mapping sets, so that
 * a re-import with a smaller mapping keeps what it does not map (see merge-specs.ts for the
 * defaults of a new row).
 */

type Fields = Record<string, FieldValue>;

function text(value: FieldValue | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

function number(value: FieldValue | undefined): number | null {
  return typeof value === 'number' ? value : null;
}

/** Copies the mapped fields to their columns, converted by `convert`; unmapped ones stay out. */
function mapped(
  fields: Fields,
  columns: Record<string, string>,
  convert: (value: FieldValue | undefined) => unknown,
): PartialRow {
  const row: PartialRow = {};
  for (const [field, column] of Object.entries(columns)) {
    if (Object.hasOwn(fields, field)) row[column] = convert(fields[field]);
  }
  return row;
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

/** Attributes as JSON. An empty value is null, so that it removes a stored attribute. */
function attributesOf(fields: Fields): string | undefined {
  const attributes: Record<string, string | null> = {};
  let any = false;
  for (const [name, value] of Object.entries(fields)) {
    if (!name.startsWith('attributes.')) continue;
    attributes[name.slice('attributes.'.length)] = value === null ? null : String(value);
    any = true;
  }
  return any ? JSON.stringify(attributes) : undefined;
}

/** Builds a partial account row; an empty name becomes the id and an empty timezone UTC. */
export function toAccount(fields: Fields): PartialRow {
  const id = String(fields.id);
  const row: PartialRow = {
    id,
    ...mapped(fields, { plan: 'plan', csmOwner: 'csm_owner', csmEmail: 'csm_email' }, text),
    ...mapped(fields, { createdAt: 'created_at' }, number),
  };
  if (Object.hasOwn(fields, 'name')) row.name = text(fields.name) ?? id;
  if (Object.hasOwn(fields, 'timezone')) row.timezone = text(fields.timezone) ?? 'UTC';
  const attributes = attributesOf(fields);
  if (attributes !== undefined) row.attributes = attributes;
  return row;
}

/** Builds a partial user row; an empty role becomes "user". */
export function toUser(fields: Fields): PartialRow {
  const row: PartialRow = {
    id: String(fields.id),
    account_id: String(fields.accountId),
    ...mapped(fields, { email: 'email', name: 'name', timezone: 'timezone' }, text),
    ...mapped(fields, { createdAt: 'created_at' }, number),
  };
  if (Object.hasOwn(fields, 'role')) row.role = text(fields.role) ?? 'user';
  return row;
}

/**
 * Builds a partial contract row; an outcome without a status ends the term. An empty outcome
 * leaves the stored outcome, its time and the status alone: it means this file does not know
 * how the term ended, and another file (such as one of churn events) may have set it.
 */
export function toContract(fields: Fields): PartialRow {
  const row: PartialRow = {
    id: String(fields.id),
    account_id: String(fields.accountId),
    start_at: Number(fields.startAt),
    renewal_at: Number(fields.renewalAt),
    ...mapped(fields, { seats: 'seats', value: 'value' }, number),
  };
  // An empty term number is 0 until the terms of the account are renumbered.
  if (Object.hasOwn(fields, 'termNumber')) row.term_number = number(fields.termNumber) ?? 0;
  const outcome = text(fields.outcome);
  if (outcome !== null) {
    row.outcome = outcome;
    row.outcome_at = number(fields.outcomeAt);
  }
  const status = text(fields.status);
  if (status !== null) row.status = status;
  else if (outcome !== null) row.status = 'ended';
  return row;
}

/** Builds a partial feature row; an empty name becomes the key. */
export function toFeature(fields: Fields): PartialRow {
  const key = String(fields.key);
  const row: PartialRow = {
    key,
    ...mapped(fields, { releasedAt: 'released_at' }, number),
    ...mapped(fields, { helpUrl: 'help_url' }, text),
    ...mapped(fields, { isKey: 'is_key' }, (value) => (value === true ? 1 : 0)),
  };
  if (Object.hasOwn(fields, 'name')) row.name = text(fields.name) ?? key;
  return row;
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

/** Builds a partial milestone row; an empty name becomes the key. */
export function toMilestone(fields: Fields): PartialRow {
  return keyedRow(fields, { dueAt: 'due_at', completedAt: 'completed_at' });
}

/** Builds a milestone completion. */
export function toCompletion(fields: Fields): MilestoneCompletion {
  return {
    account_id: String(fields.accountId),
    key: String(fields.key),
    completed_at: Number(fields.completedAt),
  };
}

/** Builds a partial goal row; an empty name becomes the key. */
export function toGoal(fields: Fields): PartialRow {
  return keyedRow(fields, { dueAt: 'due_at', metAt: 'met_at' });
}

function keyedRow(fields: Fields, instants: Record<string, string>): PartialRow {
  const key = String(fields.key);
  const row: PartialRow = {
    account_id: String(fields.accountId),
    key,
    ...mapped(fields, instants, number),
  };
  if (Object.hasOwn(fields, 'name')) row.name = text(fields.name) ?? key;
  return row;
}

/** Builds a partial support ticket row. */
export function toTicket(fields: Fields): PartialRow {
  return {
    id: String(fields.id),
    account_id: String(fields.accountId),
    opened_at: Number(fields.openedAt),
    ...mapped(fields, { userId: 'user_id', priority: 'priority', subject: 'subject' }, text),
    ...mapped(fields, { closedAt: 'closed_at', satisfaction: 'satisfaction' }, number),
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

import { z } from 'zod';
import { timeZone } from '../api/schemas';
import type { EntityName } from './mapping-schema';

/** The type a mapped value is converted to before it is stored. */
export type FieldType = 'string' | 'instant' | 'integer' | 'number' | 'boolean';

/** One field of an entity as a mapping can set it. */
export interface FieldSpec {
  type: FieldType;
  required?: boolean;
  /** Allowed values for a string field. */
  values?: readonly string[];
  /** Smallest allowed value for a number field. */
  min?: number;
  /** Largest allowed value for a number field. */
  max?: number;
  /** A rule of the HTTP API that a string field must also pass, so both paths store the same. */
  rule?: { schema: z.ZodType<string>; expected: string };
}

const text: FieldSpec = { type: 'string' };
const requiredText: FieldSpec = { type: 'string', required: true };
const instant: FieldSpec = { type: 'instant' };
const requiredInstant: FieldSpec = { type: 'instant', required: true };
const zone: FieldSpec = {
  type: 'string',
  rule: { schema: timeZone, expected: 'an IANA time zone such as Europe/Berlin or UTC' },
};
// A name goes into email headers and subjects, where a line break would split the header.
const oneLine: FieldSpec = {
  type: 'string',
  rule: {
    // eslint-disable-next-line no-control-regex -- the pattern lists the control characters to reject
    schema: z.string().regex(/^[^\u0000-\u001f\u007f]*$/),
    expected: 'text on one line, without line breaks or other control characters',
  },
};
const email: FieldSpec = {
  type: 'string',
  rule: { schema: z.email(), expected: 'one email address such as ana@example.com' },
};

/**
 * The fields of each entity. An account also takes any number of `attributes.<name>`
 * fields, stored together as its custom attributes.
 */
export const entityFields: Record<EntityName, Record<string, FieldSpec>> = {
  account: {
    id: requiredText,
    name: oneLine,
    plan: text,
    csmOwner: text,
    csmEmail: email,
    timezone: zone,
    createdAt: instant,
  },
  user: {
    id: requiredText,
    accountId: requiredText,
    email,
    name: oneLine,
    role: text,
    timezone: zone,
    createdAt: instant,
  },
  contract: {
    id: requiredText,
    accountId: requiredText,
    termNumber: { type: 'integer', min: 1 },
    startAt: requiredInstant,
    renewalAt: requiredInstant,
    seats: { type: 'integer', min: 0 },
    value: { type: 'number', min: 0 },
    status: { type: 'string', values: ['active', 'ended', 'cancelled'] },
    outcome: { type: 'string', values: ['renewed', 'expanded', 'churned', 'lapsed'] },
    outcomeAt: instant,
  },
  feature: {
    key: requiredText,
    name: text,
    releasedAt: instant,
    isKey: { type: 'boolean' },
    helpUrl: text,
  },
  usageEvent: {
    eventKey: text,
    accountId: requiredText,
    userId: text,
    featureKey: text,
    occurredAt: requiredInstant,
    // The same bounds as the HTTP API's usage event count, so both paths store the same range.
    count: { type: 'integer', min: 1, max: 1_000_000 },
  },
  milestone: {
    accountId: requiredText,
    key: requiredText,
    name: text,
    dueAt: instant,
    completedAt: instant,
  },
  milestoneCompletion: {
    accountId: requiredText,
    key: requiredText,
    completedAt: requiredInstant,
  },
  goal: {
    accountId: requiredText,
    key: requiredText,
    name: text,
    dueAt: instant,
    metAt: instant,
  },
  ticket: {
    id: requiredText,
    accountId: requiredText,
    userId: text,
    openedAt: requiredInstant,
    closedAt: instant,
    priority: text,
    subject: text,
    // The same range as the HTTP API's ticket satisfaction.
    satisfaction: { type: 'number', min: 0, max: 10 },
  },
  feedback: {
    id: requiredText,
    accountId: requiredText,
    userId: text,
    kind: { type: 'string', required: true, values: ['idea', 'problem', 'praise'] },
    featureKey: text,
    body: requiredText,
    createdAt: requiredInstant,
  },
  termOutcome: {
    contractId: text,
    accountId: requiredText,
    outcome: {
      type: 'string',
      required: true,
      values: ['renewed', 'expanded', 'churned', 'lapsed'],
    },
    at: requiredInstant,
  },
};

/** Returns the spec of a field, including an account's free-form `attributes.<name>` fields. */
export function fieldSpec(entity: EntityName, field: string): FieldSpec | undefined {
  if (entity === 'account' && /^attributes\.[^.]+$/.test(field)) return text;
  // Own keys only, so "constructor" or "toString" do not find Object.prototype's members.
  const fields = entityFields[entity];
  return Object.hasOwn(fields, field) ? fields[field] : undefined;
}

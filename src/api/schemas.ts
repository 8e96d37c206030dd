import { z } from 'zod';
import { termOutcomes } from '../store/schema';

/**
 * Request and response shapes of the HTTP API. Field names are camelCase;
 * instants are ISO 8601 date-times (or dates, read as UTC midnight) or epoch
 * milliseconds, and are stored as epoch milliseconds.
 */

const isoInstant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((text) => Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text));

/** An instant as an ISO 8601 string or as epoch milliseconds; parsed to epoch milliseconds. */
export const instant = z
  .union([z.number().int().min(0), isoInstant], {
    error:
      'is not a valid instant: expected ISO 8601 such as 2026-03-01T09:00:00Z, ' +
      'a date such as 2026-03-01, or epoch milliseconds',
  })
  .meta({
    description: 'ISO 8601 date-time or date (UTC), or epoch milliseconds',
    example: '2026-12-01T09:30:00Z',
  });

/** How far ahead of the server clock an event may be dated, to allow for clock skew. */
export const eventFutureToleranceMs = 86_400_000;

/** The instant an event happened: rejected when dated over a day ahead of the server clock. */
const eventInstant = instant.refine((ms) => ms <= Date.now() + eventFutureToleranceMs, {
  message: 'is more than 1 day ahead of the server clock; send the time the event happened',
});

const id = z.string().min(1).max(200);

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone such as Europe/Berlin. */
export const timeZone = z
  .string()
  .refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin or UTC' });

/** Maximum nesting of objects and arrays in an account's attributes, the object itself included. */
export const maxAttributeDepth = 32;

/**
 * Returns the nesting depth of a JSON value, counting with a stack in place of
 * recursion so a very deep value cannot overflow the call stack.
 */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth);
    // The caller only checks the limit, so the walk stops once it is passed.
    if (deepest > maxAttributeDepth) return deepest;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** Free-form account attributes: a JSON object at most `maxAttributeDepth` levels deep. */
const attributes = z
  .record(z.string(), z.unknown())
  .refine((value) => jsonDepth(value) <= maxAttributeDepth, {
    message:
      `is nested more than ${maxAttributeDepth} levels deep; ` +
      `flatten it to at most ${maxAttributeDepth} levels of objects and arrays`,
  });

// Optional fields carry no zod default, because an upsert must tell a field left out (keep the
// stored value) from one sent. The writer applies the defaults to new rows only.
const requiredForNew = (entity: string) => ({ description: `Required for a new ${entity}` });

/** An email address, with an example of a valid one in the error. */
const email = z.email({
  error: 'is not a valid email address: expected a form such as ana@example.com',
});

/** Tells whether `text` has a C0 control character (CR and LF among them) or DEL, which break email headers and logs. */
function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export const accountInput = z.strictObject({
  id,
  name: z
    .string()
    .min(1)
    .max(500)
    .refine((name) => !hasControlCharacter(name), {
      message: 'must not contain line breaks or other control characters; send it on one line',
    })
    .optional()
    .meta(requiredForNew('account')),
  plan: z.string().max(200).nullish(),
  csmOwner: z.string().max(200).nullish(),
  csmEmail: email.nullish(),
  timezone: timeZone.optional().meta({ description: 'Default for a new account: UTC' }),
  attributes: attributes.optional().meta({ description: 'Default for a new account: {}' }),
  createdAt: instant.optional(),
});

export const userInput = z.strictObject({
  id,
  accountId: id,
  email: email.nullish(),
  name: z
    .string()
    .max(500)
    .refine((name) => !hasControlCharacter(name), {
      message: 'must not contain line breaks or other control characters; send it on one line',
    })
    .nullish(),
  role: z.string().min(1).max(100).optional().meta({ description: 'Default for a new user: user' }),
  timezone: timeZone.nullish(),
  createdAt: instant.optional(),
});

export const contractInput = z.strictObject({
  id,
  accountId: id,
  termNumber: z.number().int().min(1).optional().meta(requiredForNew('contract')),
  startAt: instant.optional().meta(requiredForNew('contract')),
  renewalAt: instant.optional().meta(requiredForNew('contract')),
  seats: z.number().int().min(0).nullish(),
  value: z.number().min(0).nullish(),
  status: z
    .enum(['active', 'ended', 'cancelled'])
    .optional()
    .meta({ description: 'Default for a new contract: active' }),
  outcome: z.enum(termOutcomes).nullish(),
  outcomeAt: instant.nullish(),
});

export const featureInput = z.strictObject({
  key: id,
  name: z.string().min(1).max(500).optional().meta(requiredForNew('feature')),
  releasedAt: instant.nullish(),
  isKey: z.boolean().optional().meta({ description: 'Default for a new feature: false' }),
  helpUrl: z.url().nullish(),
});

export const usageEventInput = z.strictObject({
  id,
  accountId: id,
  userId: id.nullish(),
  /** Feature key, or null/absent for a login. */
  feature: id.nullish(),
  occurredAt: eventInstant,
  count: z.number().int().min(1).max(1_000_000).default(1),
});

export const ticketInput = z
  .strictObject({
    id,
    accountId: id,
    userId: id.nullish(),
    openedAt: instant.optional().meta(requiredForNew('ticket')),
    closedAt: instant.nullish(),
    priority: z.string().max(50).nullish(),
    subject: z.string().max(1000).nullish(),
    satisfaction: z.number().min(0).max(10).nullish(),
  })
  .refine(
    (ticket) =>
      ticket.openedAt === undefined ||
      ticket.closedAt === undefined ||
      ticket.closedAt === null ||
      ticket.closedAt >= ticket.openedAt,
    {
      path: ['closedAt'],
      message: 'must not be before openedAt; check both times and their zones',
    },
  );

export const milestoneInput = z.strictObject({
  accountId: id,
  key: id,
  name: z.string().min(1).max(500).optional().meta(requiredForNew('milestone')),
  dueAt: instant.nullish(),
  completedAt: instant.nullish(),
});

export const milestoneCompletionInput = z.strictObject({
  accountId: id,
  key: id,
  completedAt: eventInstant,
});

export const goalInput = z.strictObject({
  accountId: id,
  key: id,
  name: z.string().min(1).max(500).optional().meta(requiredForNew('goal')),
  dueAt: instant.nullish(),
  metAt: instant.nullish(),
});

export const goalMetInput = z.strictObject({
  accountId: id,
  key: id,
  metAt: eventInstant,
});

export const feedbackInput = z.strictObject({
  id,
  accountId: id,
  userId: id.nullish(),
  kind: z.enum(['idea', 'problem', 'praise']),
  feature: id.nullish(),
  body: z.string().min(1).max(10_000),
  createdAt: instant.optional(),
});

/** Builds the schema of a batch of 1 to `max` items. */
export function batch<T extends z.ZodType>(item: T, max: number) {
  return z.array(item).min(1).max(max);
}

export const errorResponse = z.object({
  statusCode: z.number(),
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

export type AccountInput = z.output<typeof accountInput>;
export type UserInput = z.output<typeof userInput>;
export type ContractInput = z.output<typeof contractInput>;
export type FeatureInput = z.output<typeof featureInput>;
export type UsageEventInput = z.output<typeof usageEventInput>;
export type TicketInput = z.output<typeof ticketInput>;
export type MilestoneInput = z.output<typeof milestoneInput>;
export type MilestoneCompletionInput = z.output<typeof milestoneCompletionInput>;
export type GoalInput = z.output<typeof goalInput>;
export type GoalMetInput = z.output<typeof goalMetInput>;
export type FeedbackInput = z.output<typeof feedbackInput>;

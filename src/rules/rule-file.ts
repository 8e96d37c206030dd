import { z } from 'zod';
import { actionTypes } from '../actions/types';
import { formatJsonPath, withSuggestion, type JsonPathSegment } from './errors';
import { lifecycleStages } from './types';

/** Rule ids and shared-condition names: also used in outbox idempotency keys, so no ':'. */
export const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const nameMessage =
  'must start with a letter or digit and contain only letters, digits, ., _ and -';
const templatePattern = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

const ruleName = z.string().regex(namePattern, nameMessage);
const params = z.record(z.string(), z.unknown());

/** Audience of a rule or an action. */
export const audienceSchema = z.union(
  [
    z.strictObject({
      users: z.strictObject({
        roles: z.array(z.string().min(1)).min(1).optional(),
        belowCadence: z.boolean().optional(),
      }),
    }),
    z.strictObject({ csm: z.literal(true) }),
    z.strictObject({ account: z.literal(true) }),
  ],
  'audience must be { "users": { "roles"?: [...], "belowCadence"?: true } }, { "csm": true } or { "account": true }',
);

/** One action of an Uptake rule. */
export const actionSchema = z.strictObject({
  type: z.enum(actionTypes),
  template: z
    .string()
    .regex(
      templatePattern,
      'template must be a name such as "key-features" (letters, digits, _ and -)',
    )
    .optional(),
  params: params.optional(),
  audience: audienceSchema.optional(),
});

/** "14d", "2w", "36h", or a number of days. */
export const cooldownSchema = z.union(
  [z.number().min(0), z.string().regex(/^\d+(?:\.\d+)?[hdw]$/)],
  'cooldown must be a number of days or a duration such as "14d", "2w" or "36h"',
);

/** The Uptake envelope around json-rules-engine conditions; `conditions` is checked separately. */
export const envelopeSchema = z.strictObject({
  $schema: z.string().optional(),
  id: ruleName,
  description: z.string().min(1, 'description must say what the rule is for'),
  stages: z.array(z.enum(lifecycleStages)).min(1).optional(),
  priority: z.number().int().min(1).optional(),
  enabled: z.boolean().optional(),
  audience: audienceSchema.optional(),
  actions: z.array(actionSchema).min(1),
  cooldown: cooldownSchema.optional(),
  limitPerTerm: z.number().int().min(1).optional(),
  holdoutShare: z.number().min(0).max(1).optional(),
  conditions: z.unknown(),
  sharedConditions: z.record(ruleName, z.unknown()).optional(),
});

/** A plain json-rules-engine rule: conditions, event and optional name and priority. */
export const plainRuleSchema = z.strictObject({
  $schema: z.string().optional(),
  conditions: z.unknown(),
  event: z.strictObject({ type: z.enum(actionTypes), params: params.optional() }),
  name: z.union([z.string().min(1), z.number()]).optional(),
  priority: z.number().int().min(1).optional(),
});

/** A folder-level file of shared conditions (its name starts with `_`). */
export const sharedFileSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  sharedConditions: z.record(ruleName, z.unknown()),
});

export type Envelope = z.infer<typeof envelopeSchema>;
export type PlainRule = z.infer<typeof plainRuleSchema>;

/** A zod problem turned into a JSON path and a message. */
export interface SchemaProblem {
  jsonPath: string;
  message: string;
}

/** Turns zod issues into messages that name the JSON path and the expected shape. */
export function describeSchemaIssues(
  error: z.ZodError,
  allowedKeys: readonly string[],
): SchemaProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((key): key is JsonPathSegment => typeof key !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '';
      const known = path.length === 0 ? allowedKeys : [];
      return {
        jsonPath: formatJsonPath([...path, key]),
        message: withSuggestion(`unknown property '${key}'`, key, known),
      };
    }
    return {
      jsonPath: formatJsonPath(path),
      message: issue.message.replace(/^Invalid (input|option): /, ''),
    };
  });
}

/** Cooldown in days from the file's form. */
export function cooldownDays(cooldown: number | string | undefined): number {
  if (cooldown === undefined) return 0;
  if (typeof cooldown === 'number') return cooldown;
  const amount = Number.parseFloat(cooldown);
  const unit = cooldown.slice(-1);
  if (unit === 'w') return amount * 7;
  if (unit === 'h') return amount / 24;
  return amount;
}

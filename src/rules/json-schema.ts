import { z } from 'zod';
import { factCatalog } from '../signals/catalog';
import { decoratorNames, operatorFunctions } from './operators';
import { envelopeSchema, plainRuleSchema, sharedFileSchema } from './rule-file';

const factNames = Object.keys(factCatalog) as [string, ...string[]];
const operators = [...operatorFunctions.keys()] as [string, ...string[]];
const decoratedOperator = new RegExp(`^((${decoratorNames.join('|')}):)+(${operators.join('|')})$`);

const factName = z.enum(factNames).describe('A fact from the signal catalog.');
const path = z
  .string()
  .regex(/^\$/)
  .describe("JSONPath into an object or array fact, for example '$.activeDaysLast30'.");
const params = z.record(z.string(), z.unknown());
const common = {
  priority: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Higher priority siblings are evaluated first.'),
  name: z.string().optional(),
};

const factCondition = z
  .object({
    fact: factName,
    operator: z.union([z.enum(operators), z.string().regex(decoratedOperator)]),
    value: z.union([
      z.object({ fact: factName, path: path.optional(), params: params.optional() }).strict(),
      z.unknown(),
    ]),
    path: path.optional(),
    params: params.optional(),
    ...common,
  })
  .strict();

const reference = z
  .object({ condition: z.string().describe('Name of a shared condition.'), ...common })
  .strict();

// Recursive condition schemas for editors; loading uses its own checks with exact messages.
const allCondition = z
  .object({
    get all() {
      return z.array(condition);
    },
    ...common,
  })
  .strict();
const anyCondition = z
  .object({
    get any() {
      return z.array(condition);
    },
    ...common,
  })
  .strict();
const notCondition = z
  .object({
    get not() {
      return condition;
    },
    ...common,
  })
  .strict();
const condition: z.ZodType = z.union([
  allCondition,
  anyCondition,
  notCondition,
  reference,
  factCondition,
]);
const rootCondition = z.union([allCondition, anyCondition, notCondition, reference]);

/**
 * Builds the JSON Schema of rule files (Uptake rules, plain
 * json-rules-engine rules and shared-condition files), with the fact
 * names as an enum so that editors complete them.
 */
export function buildRuleJsonSchema(): Record<string, unknown> {
  const sharedConditions = z.record(z.string(), rootCondition).optional();
  const uptakeRule = envelopeSchema.extend({ conditions: rootCondition, sharedConditions });
  const plainRule = plainRuleSchema.extend({ conditions: rootCondition });
  const sharedFile = sharedFileSchema.extend({
    sharedConditions: z.record(z.string(), rootCondition),
  });
  const schema = z.union([uptakeRule, plainRule, sharedFile]).describe('An Uptake rule file');
  return z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;
}

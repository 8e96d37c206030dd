import { z } from 'zod';
import { maxShiftDays } from './values';

/*
 * The mapping file: which source file feeds which Uptake entity, and how each field of
 * that entity is computed from the source row. See examples/*\/mapping.json.
 */

/** A constant value a field may take. */
export type Scalar = string | number | boolean | null;

/** Expression that computes one field from a source row. A bare string names a column. */
export type Expression =
  | string
  | { column: string }
  | { const: Scalar }
  | { template: string }
  | { join: Expression[]; separator?: string }
  | { boolean: Expression }
  | { lookup: string; on: string[]; column: string }
  | { dayOffset: Expression; anchor: string; key?: Expression }
  | { addDays: Expression; to: Expression }
  | { map: Expression; values: Record<string, Scalar>; default?: Scalar }
  | { if: Expression; then: Expression; else?: Expression }
  | { first: Expression[] };

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const expressionShapes =
  'a column name, or one of {column}, {const}, {template}, {join, separator?}, {boolean}, {lookup, on, column}, ' +
  '{dayOffset, anchor, key?}, {addDays, to}, {map, values, default?}, {if, then, else?}, {first}';

export const expressionSchema: z.ZodType<Expression> = z.lazy(() =>
  z.union(
    [
      z.string().min(1),
      z.strictObject({ column: z.string().min(1) }),
      z.strictObject({ const: scalar }),
      z.strictObject({ template: z.string().min(1) }),
      z.strictObject({ join: z.array(expressionSchema).min(1), separator: z.string().optional() }),
      z.strictObject({ boolean: expressionSchema }),
      z.strictObject({ lookup: z.string(), on: z.array(z.string()).min(1), column: z.string() }),
      z.strictObject({
        dayOffset: expressionSchema,
        anchor: z.string(),
        key: expressionSchema.optional(),
      }),
      z.strictObject({ addDays: expressionSchema, to: expressionSchema }),
      z.strictObject({
        map: expressionSchema,
        values: z.record(z.string(), scalar),
        default: scalar.optional(),
      }),
      z.strictObject({
        if: expressionSchema,
        then: expressionSchema,
        else: expressionSchema.optional(),
      }),
      z.strictObject({ first: z.array(expressionSchema).min(1) }),
    ],
    { error: `expected ${expressionShapes}` },
  ),
);

/**
 * The entities a source row can produce, in the order the importer writes them: rows that
 * others refer to (accounts, contracts) come first.
 */
export const entityNames = [
  'account',
  'user',
  'contract',
  'feature',
  'usageEvent',
  'milestone',
  'milestoneCompletion',
  'goal',
  'ticket',
  'feedback',
  'termOutcome',
] as const;
export type EntityName = (typeof entityNames)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date as YYYY-MM-DD' });

/** A date that day offsets count from: fixed, or picked per row by matching a key. */
const anchorSchema = z
  .strictObject({
    date: isoDate.optional(),
    patterns: z
      .array(
        z.strictObject({
          match: z.string().min(1),
          date: z.string().regex(/^(\d{4}|\$\d)-\d{2}-\d{2}$/, {
            error: 'expected YYYY-MM-DD, where the year may be a capture group such as $1',
          }),
        }),
      )
      .optional(),
    shiftDays: z.number().int().min(-maxShiftDays).max(maxShiftDays).default(0),
  })
  .refine((anchor) => anchor.date !== undefined || (anchor.patterns?.length ?? 0) > 0, {
    error: 'expected "date" or a non-empty "patterns" list',
  });

const lookupSchema = z.strictObject({
  file: z.string().min(1),
  key: z.array(z.string().min(1)).min(1),
});

const entityMappingSchema = z.strictObject({
  entity: z.enum(entityNames),
  /** Repeats the entity once per matching row of a lookup (a one-to-many join). */
  each: z.strictObject({ lookup: z.string(), on: z.array(z.string()).min(1) }).optional(),
  /** Skips rows whose expression is empty, for sources that mix several kinds of rows. */
  when: expressionSchema.optional(),
  fields: z.record(z.string(), expressionSchema),
});

const fileMappingSchema = z.strictObject({
  file: z.string().min(1),
  format: z.enum(['csv', 'ndjson']).optional(),
  entities: z.array(entityMappingSchema).min(1),
});

/** The whole mapping file. */
export const mappingSchema = z.strictObject({
  description: z.string().optional(),
  anchors: z.record(z.string(), anchorSchema).default({}),
  lookups: z.record(z.string(), lookupSchema).default({}),
  files: z.array(fileMappingSchema).min(1),
});

export type Mapping = z.infer<typeof mappingSchema>;
export type FileMapping = z.infer<typeof fileMappingSchema>;
export type EntityMapping = z.infer<typeof entityMappingSchema>;
export type Anchor = z.infer<typeof anchorSchema>;

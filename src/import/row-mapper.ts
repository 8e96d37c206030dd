import { fieldSpec, type FieldSpec } from './entity-fields';
import {
  compileExpression,
  isTruthy,
  sourceColumn,
  ValueError,
  type CompileContext,
  type Evaluate,
  type RowContext,
  type Value,
} from './expressions';
import type { EntityMapping, EntityName } from './mapping-schema';
import {
  booleanSpellings,
  maxInstantMs,
  parseBoolean,
  parseInstantValue,
  parseNumber,
} from './values';
import { quoteValue } from './quote';

/** A field's value after conversion to the field's type. */
export type FieldValue = string | number | boolean | null;

/** One entity produced by a source row, with its fields converted. */
export interface EntityRecord {
  entity: EntityName;
  fields: Record<string, FieldValue>;
  /** Source column of each field, to name it if a later check rejects the row. */
  columns: Readonly<Record<string, string | undefined>>;
  /** Position among the rows of a one-to-many join, 0 otherwise. */
  expansion: number;
}

/** Reason a row was rejected, with the source column at fault. */
export interface RowRejection {
  /** Source column; for a value the mapping computes without one, the mapping's field. */
  column: string;
  reason: string;
}

interface CompiledField {
  name: string;
  spec: FieldSpec;
  evaluate: Evaluate;
  column: string;
}

/** An entity mapping compiled into functions of the row. */
export interface CompiledEntity {
  entity: EntityName;
  fields: CompiledField[];
  /** Source column of each field, shared by every record of this entity. */
  columns: Readonly<Record<string, string | undefined>>;
  when?: Evaluate;
  each?: { lookup: string; on: string[] };
}

/** Compiles the entity mappings of one source file. */
export function compileEntities(
  entities: readonly EntityMapping[],
  context: CompileContext,
): CompiledEntity[] {
  return entities.map((mapping) => {
    const fields = Object.entries(mapping.fields).map(([name, expression]) => ({
      name,
      spec: fieldSpec(mapping.entity, name)!,
      evaluate: compileExpression(expression, context),
      column: sourceColumn(expression) ?? `${mapping.entity}.${name}`,
    }));
    return {
      entity: mapping.entity,
      fields,
      columns: Object.fromEntries(fields.map((field) => [field.name, field.column])),
      when: mapping.when ? compileExpression(mapping.when, context) : undefined,
      each: mapping.each,
    };
  });
}

/** Maps one source row to its entities, or returns why the whole row is rejected. */
export function mapRow(
  row: RowContext,
  entities: readonly CompiledEntity[],
  context: CompileContext,
): EntityRecord[] | RowRejection {
  const records: EntityRecord[] = [];
  for (const entity of entities) {
    let rows: RowContext[];
    try {
      if (entity.when && !isTruthy(entity.when(row))) continue;
      rows = entity.each ? joinedRows(row, entity.each, context) : [row];
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      return { column: entity.fields[0]?.column ?? entity.entity, reason: error.message };
    }
    for (let expansion = 0; expansion < rows.length; expansion += 1) {
      const record = mapEntity(rows[expansion]!, entity, expansion);
      if ('reason' in record) return record;
      records.push(record);
    }
  }
  return records;
}

/** Repeats the row once per matching lookup row, whose columns read as `<lookup>.<column>`. */
function joinedRows(
  row: RowContext,
  each: { lookup: string; on: string[] },
  context: CompileContext,
): RowContext[] {
  const prefix = `${each.lookup}.`;
  const matches = context.lookups.findAll(
    each.lookup,
    each.on.map((column) => row.get(column) ?? ''),
  );
  return matches.map((match) => ({
    get: (column) =>
      column.startsWith(prefix) ? match.get(column.slice(prefix.length)) : row.get(column),
  }));
}

function mapEntity(
  row: RowContext,
  entity: CompiledEntity,
  expansion: number,
): EntityRecord | RowRejection {
  const fields: Record<string, FieldValue> = {};
  for (const field of entity.fields) {
    try {
      fields[field.name] = convertValue(field.spec, field.evaluate(row));
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      return { column: field.column, reason: `${entity.entity}.${field.name}: ${error.message}` };
    }
  }
  const conflict = entityConflict(entity.entity, fields);
  if (conflict) {
    const column = entity.columns[conflict.field] ?? `${entity.entity}.${conflict.field}`;
    return { column, reason: `${entity.entity}.${conflict.field}: ${conflict.reason}` };
  }
  return { entity: entity.entity, fields, columns: entity.columns, expansion };
}

/** Finds fields of one entity that contradict each other, such as a ticket closed before it opened. */
function entityConflict(
  entity: EntityName,
  fields: Record<string, FieldValue>,
): { field: string; reason: string } | undefined {
  if (entity !== 'ticket') return undefined;
  const { openedAt, closedAt } = fields;
  if (typeof openedAt !== 'number' || typeof closedAt !== 'number' || closedAt >= openedAt) {
    return undefined;
  }
  const when = (ms: number) => new Date(ms).toISOString();
  return {
    field: 'closedAt',
    reason: `closed at ${when(closedAt)}, before it opened at ${when(openedAt)}; check the two dates`,
  };
}

/** Converts a computed value to the field's type, throwing ValueError with the reason. */
export function convertValue(spec: FieldSpec, value: Value): FieldValue {
  if (value === null) {
    if (spec.required) throw new ValueError('missing value');
    return null;
  }
  switch (spec.type) {
    case 'string':
      return checkAllowed(String(value), spec);
    case 'boolean':
      return convertBoolean(value);
    case 'instant':
      return convertInstant(value);
    default:
      return convertNumber(value, spec);
  }
}

function checkAllowed(text: string, spec: FieldSpec): string {
  if (spec.values && !spec.values.includes(text)) {
    throw new ValueError(
      `invalid value ${quoteValue(text)}; expected one of ${spec.values.join(', ')}`,
    );
  }
  if (spec.rule && !spec.rule.schema.safeParse(text).success) {
    throw new ValueError(`invalid value ${quoteValue(text)}; expected ${spec.rule.expected}`);
  }
  return text;
}

function convertBoolean(value: string | number | boolean): boolean {
  const parsed = parseBoolean(value);
  if (parsed === undefined) {
    throw new ValueError(
      `invalid boolean ${quoteValue(value)}; expected one of ${booleanSpellings}`,
    );
  }
  return parsed;
}

function convertInstant(value: string | number | boolean): number {
  const parsed = parseInstantValue(value);
  if (parsed === undefined) {
    throw new ValueError(
      `invalid date ${quoteValue(value)}; expected ISO 8601 such as 2024-03-01 or 2024-03-01T09:30:00Z, with a UTC offset from -23:59 to +23:59`,
    );
  }
  // Beyond this range Date cannot print the instant, so every later report would fail on it.
  if (Math.abs(parsed) > maxInstantMs) {
    throw new ValueError(
      `date ${quoteValue(value)} is out of range (${parsed} ms from 1970); dates must fall between the years -271821 and 275760, so check the day offset and --shift-days`,
    );
  }
  return parsed;
}

function convertNumber(value: string | number | boolean, spec: FieldSpec): number {
  const parsed = parseNumber(value);
  if (parsed === undefined) throw new ValueError(`invalid number ${quoteValue(value)}`);
  // A safe integer, because 99999999999999999999 parses to the float 1e20.
  if (spec.type === 'integer' && !Number.isSafeInteger(parsed)) {
    throw new ValueError(`invalid integer ${quoteValue(value)}${rangeHint(spec)}`);
  }
  if (spec.min !== undefined && parsed < spec.min) {
    throw new ValueError(`${parsed} is below the minimum of ${spec.min}${rangeHint(spec)}`);
  }
  if (spec.max !== undefined && parsed > spec.max) {
    throw new ValueError(`${parsed} is above the maximum of ${spec.max}${rangeHint(spec)}`);
  }
  return parsed;
}

function rangeHint(spec: FieldSpec): string {
  if (spec.min === undefined || spec.max === undefined) return '';
  return `; expected a whole number from ${spec.min} to ${spec.max}`;
}

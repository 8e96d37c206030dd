import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { entityFields, fieldSpec } from './entity-fields';
import { mappingSchema, type EntityMapping, type Expression, type Mapping } from './mapping-schema';

/** A mapping file that cannot be used; `issues` name each key by its JSON path. */
export class MappingError extends Error {
  constructor(
    readonly file: string,
    readonly issues: string[],
  ) {
    super(`Invalid mapping ${file}:\n  ${issues.join('\n  ')}`);
    this.name = 'MappingError';
  }
}

/** Reads and validates a mapping file, throwing MappingError with every problem found. */
export function loadMapping(path: string): Mapping {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new MappingError(path, [`not readable as JSON: ${(error as Error).message}`]);
  }
  return parseMapping(json, path);
}

/** Validates a parsed mapping: its shape with zod, then the names it refers to. */
export function parseMapping(json: unknown, source = 'mapping'): Mapping {
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) throw new MappingError(source, parsed.error.issues.map(formatIssue));

  const issues = checkReferences(parsed.data);
  if (issues.length > 0) throw new MappingError(source, issues);
  return parsed.data;
}

/** Formats a zod issue as `<JSON path>: <message>`. */
function formatIssue(issue: z.core.$ZodIssue): string {
  return `${jsonPath(issue.path)}: ${issue.message}`;
}

function jsonPath(path: readonly PropertyKey[]): string {
  let text = '$';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (/^[A-Za-z_][\w]*$/.test(String(part))) text += `.${String(part)}`;
    else text += `[${JSON.stringify(String(part))}]`;
  }
  return text;
}

/** Checks fields, lookups and anchors that a schema alone cannot see. */
function checkReferences(mapping: Mapping): string[] {
  const issues: string[] = [];
  for (const [name, anchor] of Object.entries(mapping.anchors)) {
    anchor.patterns?.forEach((pattern, index) => {
      if (!isValidRegex(pattern.match)) {
        issues.push(
          `${jsonPath(['anchors', name, 'patterns', index, 'match'])}: invalid regular expression`,
        );
      }
    });
  }
  mapping.files.forEach((file, fileIndex) => {
    file.entities.forEach((entity, entityIndex) => {
      const path = ['files', fileIndex, 'entities', entityIndex];
      issues.push(...checkEntity(mapping, entity, path));
    });
  });
  return issues;
}

function checkEntity(mapping: Mapping, entity: EntityMapping, path: PropertyKey[]): string[] {
  const issues: string[] = [];
  const known = Object.keys(entityFields[entity.entity]);
  for (const [field, expression] of Object.entries(entity.fields)) {
    if (!fieldSpec(entity.entity, field)) {
      issues.push(
        `${jsonPath([...path, 'fields', field])}: unknown field of ${entity.entity}; expected one of ${known.join(', ')}`,
      );
    }
    issues.push(...checkExpression(mapping, expression, [...path, 'fields', field]));
  }
  for (const [field, spec] of Object.entries(entityFields[entity.entity])) {
    if (spec.required && !(field in entity.fields)) {
      issues.push(
        `${jsonPath([...path, 'fields'])}: missing required field "${field}" of ${entity.entity}`,
      );
    }
  }
  if (entity.each)
    issues.push(...checkLookup(mapping, entity.each.lookup, entity.each.on, [...path, 'each']));
  if (entity.when) issues.push(...checkExpression(mapping, entity.when, [...path, 'when']));
  return issues;
}

function checkLookup(mapping: Mapping, name: string, on: string[], path: PropertyKey[]): string[] {
  const lookup = mapping.lookups[name];
  if (!lookup) {
    const known = Object.keys(mapping.lookups).join(', ') || '(none)';
    return [
      `${jsonPath([...path, 'lookup'])}: unknown lookup "${name}"; defined lookups: ${known}`,
    ];
  }
  if (lookup.key.length !== on.length) {
    return [
      `${jsonPath([...path, 'on'])}: expected ${lookup.key.length} column(s) to match the key of lookup "${name}" (${lookup.key.join(', ')})`,
    ];
  }
  return [];
}

/** Walks an expression tree, checking every lookup and anchor it names. */
function checkExpression(mapping: Mapping, expression: Expression, path: PropertyKey[]): string[] {
  if (typeof expression === 'string') return [];
  if ('lookup' in expression) return checkLookup(mapping, expression.lookup, expression.on, path);
  if ('dayOffset' in expression) {
    const issues = checkExpression(mapping, expression.dayOffset, [...path, 'dayOffset']);
    const anchor = mapping.anchors[expression.anchor];
    if (!anchor)
      issues.push(`${jsonPath([...path, 'anchor'])}: unknown anchor "${expression.anchor}"`);
    if (anchor?.patterns && !expression.key) {
      issues.push(
        `${jsonPath(path)}: anchor "${expression.anchor}" picks its date by pattern, so "key" is required`,
      );
    }
    if (expression.key) issues.push(...checkExpression(mapping, expression.key, [...path, 'key']));
    return issues;
  }
  if ('addDays' in expression) {
    return [
      ...checkExpression(mapping, expression.addDays, [...path, 'addDays']),
      ...checkExpression(mapping, expression.to, [...path, 'to']),
    ];
  }
  if ('map' in expression) return checkExpression(mapping, expression.map, [...path, 'map']);
  if ('boolean' in expression) {
    return checkExpression(mapping, expression.boolean, [...path, 'boolean']);
  }
  if ('if' in expression) {
    const issues = [
      ...checkExpression(mapping, expression.if, [...path, 'if']),
      ...checkExpression(mapping, expression.then, [...path, 'then']),
    ];
    if (expression.else)
      issues.push(...checkExpression(mapping, expression.else, [...path, 'else']));
    return issues;
  }
  if ('join' in expression) {
    return expression.join.flatMap((item, index) =>
      checkExpression(mapping, item, [...path, 'join', index]),
    );
  }
  if ('first' in expression) {
    return expression.first.flatMap((item, index) =>
      checkExpression(mapping, item, [...path, 'first', index]),
    );
  }
  return [];
}

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

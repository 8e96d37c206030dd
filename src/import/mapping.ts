import { readFileSync } from 'node:fs';
import { isAbsolute, win32 } from 'node:path';
import type { z } from 'zod';
import { entityFields, fieldSpec } from './entity-fields';
import { checkFieldConstants } from './mapping-constants';
import {
  mappingSchema,
  type EntityMapping,
  type EntityName,
  type Expression,
  type Mapping,
} from './mapping-schema';

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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new MappingError(path, [
      `cannot be read (${code}); pass --mapping with the path of a mapping JSON file, such as examples/ravenstack/mapping.json`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MappingError(path, [`not readable as JSON: ${describeJsonError(error, text)}`]);
  }
  return parseMapping(json, path);
}

/** Adds the line and column to JSON.parse's message where it gives only a position (Node 20). */
function describeJsonError(error: unknown, text: string): string {
  const message = (error as Error).message;
  const position = /at position (\d+)/.exec(message);
  if (!position || /\(line \d+ column \d+\)/.test(message)) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

/** Validates a parsed mapping: its shape with zod, then the names it refers to. */
export function parseMapping(json: unknown, source = 'mapping'): Mapping {
  const prototypeKeys = findPrototypeKeys(json, []);
  if (prototypeKeys.length > 0) throw new MappingError(source, prototypeKeys);
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) throw new MappingError(source, parsed.error.issues.map(formatIssue));

  const issues = checkReferences(parsed.data);
  if (issues.length > 0) throw new MappingError(source, issues);
  return parsed.data;
}

/**
 * Lists every "__proto__" key. JSON.parse keeps it as an own key, but zod 4 leaves it out of
 * the parsed record, so such a field would otherwise vanish without an error.
 */
function findPrototypeKeys(json: unknown, path: PropertyKey[], parent?: unknown): string[] {
  if (json === null || typeof json !== 'object') return [];
  if (Array.isArray(json))
    return json.flatMap((item, index) => findPrototypeKeys(item, [...path, index]));
  const object = json as Record<string, unknown>;
  return Object.keys(object).flatMap((key) => {
    if (key !== '__proto__') return findPrototypeKeys(object[key], [...path, key], object);
    const entity = path.at(-1) === 'fields' ? (parent as { entity?: unknown }).entity : undefined;
    const known = typeof entity === 'string' && Object.hasOwn(entityFields, entity);
    const reason = known ? unknownField(entity as EntityName) : 'unknown key';
    return [`${jsonPath([...path, key])}: ${reason}`];
  });
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
  for (const [name, lookup] of Object.entries(mapping.lookups)) {
    issues.push(...checkFilePath(lookup.file, ['lookups', name, 'file']));
  }
  mapping.files.forEach((file, fileIndex) => {
    issues.push(...checkFilePath(file.file, ['files', fileIndex, 'file']));
    file.entities.forEach((entity, entityIndex) => {
      const path = ['files', fileIndex, 'entities', entityIndex];
      issues.push(...checkEntity(mapping, entity, path));
    });
  });
  return issues;
}

function checkEntity(mapping: Mapping, entity: EntityMapping, path: PropertyKey[]): string[] {
  const issues: string[] = [];
  for (const [field, expression] of Object.entries(entity.fields)) {
    if (!fieldSpec(entity.entity, field)) {
      issues.push(`${jsonPath([...path, 'fields', field])}: ${unknownField(entity.entity)}`);
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
  issues.push(...checkFieldConstants(entity, path, jsonPath));
  if (entity.each)
    issues.push(...checkLookup(mapping, entity.each.lookup, entity.each.on, [...path, 'each']));
  if (entity.when) issues.push(...checkExpression(mapping, entity.when, [...path, 'when']));
  return issues;
}

/** Rejects a file path that could read outside the import folder. */
function checkFilePath(file: string, path: PropertyKey[]): string[] {
  const absolute = isAbsolute(file) || win32.isAbsolute(file);
  if (!absolute && !file.split(/[\\/]/).includes('..')) return [];
  return [
    `${jsonPath(path)}: "${file}" is outside the import folder; use a path relative to the folder, without ".." segments`,
  ];
}

function unknownField(entity: EntityName): string {
  return `unknown field of ${entity}; expected one of ${Object.keys(entityFields[entity]).join(', ')}`;
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

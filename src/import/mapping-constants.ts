import { fieldSpec } from './entity-fields';
import { ValueError } from './expressions';
import type { EntityMapping, Expression, Scalar } from './mapping-schema';
import { convertValue } from './row-mapper';

/** A constant that an expression can return as the field's value, with its path in the mapping. */
interface ResultConstant {
  path: PropertyKey[];
  value: Scalar;
}

/**
 * Checks every constant that a field's expression can return against the field's type, so
 * `{"const": "abc"}` for a count fails when the mapping loads, not on every row.
 */
export function checkFieldConstants(
  entity: EntityMapping,
  path: PropertyKey[],
  formatPath: (path: readonly PropertyKey[]) => string,
): string[] {
  const issues: string[] = [];
  for (const [field, expression] of Object.entries(entity.fields)) {
    const spec = fieldSpec(entity.entity, field);
    if (!spec) continue;
    for (const constant of resultConstants(expression, [...path, 'fields', field])) {
      // null is the missing value, which a row may legitimately produce, so it is checked per row.
      if (constant.value === null) continue;
      try {
        convertValue(spec, constant.value);
      } catch (error) {
        if (!(error instanceof ValueError)) throw error;
        issues.push(`${formatPath(constant.path)}: ${entity.entity}.${field}: ${error.message}`);
      }
    }
  }
  return issues;
}

/** Lists the constants an expression can return as they are, without conversion. */
function resultConstants(expression: Expression, path: PropertyKey[]): ResultConstant[] {
  if (typeof expression === 'string') return [];
  if ('const' in expression) return [{ path, value: expression.const }];
  if ('if' in expression) {
    const branches = resultConstants(expression.then, [...path, 'then']);
    if (expression.else) branches.push(...resultConstants(expression.else, [...path, 'else']));
    return branches;
  }
  if ('first' in expression) {
    return expression.first.flatMap((item, index) =>
      resultConstants(item, [...path, 'first', index]),
    );
  }
  if ('map' in expression) {
    const values = Object.entries(expression.values).map(([key, value]) => ({
      path: [...path, 'values', key],
      value,
    }));
    if (expression.default !== undefined) {
      values.push({ path: [...path, 'default'], value: expression.default });
    }
    return values;
  }
  return [];
}

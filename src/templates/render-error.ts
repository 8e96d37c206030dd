// Handlebars' strict mode reports a missing variable as `"name" not defined in
// [object Object] - line:column`, naming only the last segment of the path.
const missingVariable = /^"([^"]+)" not defined in .*? - (\d+):(\d+)$/;

/**
 * Describes a render failure of a template from its source. A missing
 * variable is named with the whole expression, its line and the fix; any
 * other error keeps its first line.
 */
export function describeRenderError(source: string, error: unknown): string {
  const message = firstLine(error);
  const match = missingVariable.exec(message);
  if (!match) return message;
  const [, name = '', lineText = '0', columnText = '0'] = match;
  const line = Number(lineText);
  const expression = expressionAt(source, line, Number(columnText), name);
  const named = expression ?? `"${name}"`;
  return (
    `${named} at line ${line} has no value for this send: ` +
    `give the variable a value (rule action params, account data) or wrap it in {{#if}}`
  );
}

/** Returns the `{{...}}` around `column` on `line` (1-based line) when it mentions `name`. */
function expressionAt(source: string, line: number, column: number, name: string): string | null {
  const text = source.split('\n')[line - 1];
  if (text === undefined) return null;
  const start = text.lastIndexOf('{{', column);
  const end = text.indexOf('}}', Math.max(column, start));
  if (start < 0 || end < 0) return null;
  const expression = text.slice(start, end + 2);
  return expression.includes(name) ? expression : null;
}

/** Returns the first line of an error message, without Handlebars' source excerpt and caret. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split('\n')
    .filter((line) => !/^-*\^$/.test(line))
    .join(' ')
    .trim();
}

/**
 * Finds the innermost block helper (`{{#if}}`, `{{#each}}` and others) that
 * `source` opens and never closes, for a parse error that only names the end
 * of the file. Returns null when every block is closed.
 */
export function unclosedBlock(source: string): { name: string; line: number } | null {
  const open: { name: string; line: number }[] = [];
  const tag = /\{\{~?\s*(#\*?|\/)\s*([A-Za-z_][\w.-]*)/g;
  for (const match of source.matchAll(tag)) {
    const [, kind = '', name = ''] = match;
    const line = source.slice(0, match.index).split('\n').length;
    if (kind !== '/') open.push({ name, line });
    else if (open.at(-1)?.name === name) open.pop();
  }
  return open.at(-1) ?? null;
}

/// <reference types="handlebars" />

/** One problem found in a template file. */
export interface TemplateProblem {
  /** Path relative to the templates folder. */
  file: string;
  line?: number;
  message: string;
}

/** Names a template path may not reach, because they lead to prototypes and functions. */
const forbiddenSegments = new Set([
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

interface Names {
  partials: ReadonlySet<string>;
  helpers: ReadonlySet<string>;
}

type Node = { type?: string; loc?: { start: { line: number } } } & Record<string, unknown>;

/**
 * Walks a parsed template and lists what would only fail at render time:
 * partials that are not registered, helpers called with arguments that do
 * not exist, and paths into prototypes.
 */
export function checkTemplate(file: string, ast: hbs.AST.Program, names: Names): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  visit(ast as unknown as Node, (node) => {
    const problem = checkNode(node, names);
    if (problem) problems.push({ file, line: node.loc?.start.line, message: problem });
  });
  return problems;
}

function visit(node: unknown, check: (node: Node) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) visit(child, check);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const record = node as Node;
  if (typeof record.type === 'string') check(record);
  for (const [key, child] of Object.entries(record)) {
    if (key !== 'loc' && child && typeof child === 'object') visit(child, check);
  }
}

function checkNode(node: Node, names: Names): string | undefined {
  switch (node.type) {
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return checkPartial(node, names);
    case 'MustacheStatement':
    case 'BlockStatement':
    case 'SubExpression':
      return checkHelperCall(node, names);
    case 'PathExpression':
      return checkPath(node as unknown as hbs.AST.PathExpression);
    default:
      return undefined;
  }
}

function checkPartial(node: Node, names: Names): string | undefined {
  const name = node.name as hbs.AST.PathExpression | hbs.AST.SubExpression;
  if (name.type !== 'PathExpression') return undefined;
  if (name.original === '@partial-block' || names.partials.has(name.original)) return undefined;
  return `unknown partial "${name.original}": add templates/partials/${name.original}.hbs or fix the name`;
}

function checkHelperCall(node: Node, names: Names): string | undefined {
  const path = node.path as hbs.AST.PathExpression;
  const params = (node.params as unknown[] | undefined) ?? [];
  const hasHash = Boolean(node.hash);
  // A literal in helper position ({{"name" arg}}) is not a path, so it has no helper name to check.
  if (path.type !== 'PathExpression' || (params.length === 0 && !hasHash)) return undefined;
  if (names.helpers.has(path.original)) return undefined;
  return `unknown helper "${path.original}": known helpers are ${[...names.helpers].sort().join(', ')}`;
}

function checkPath(path: hbs.AST.PathExpression): string | undefined {
  const segment = path.parts.find((part) => forbiddenSegments.has(part));
  if (segment === undefined) return undefined;
  return `path "${path.original}" reaches "${segment}", which templates may not read`;
}

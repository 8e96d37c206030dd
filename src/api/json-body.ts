import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors';

/**
 * Reports whether a key could reach an object's prototype when a handler
 * copies the body: `__proto__`, or `constructor` containing a `prototype` key.
 */
function isForbiddenKey(key: string, value: unknown): boolean {
  if (key === '__proto__') return true;
  return (
    key === 'constructor' && typeof value === 'object' && value !== null && 'prototype' in value
  );
}

/** Appends a key or index to a field path such as `accounts[0].name`. */
function childPath(path: string, key: string): string {
  if (/^\d+$/.test(key)) return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Returns the path of the first forbidden key in a parsed body, if any. */
function findForbiddenKey(body: unknown): { path: string; key: string } | undefined {
  const pending: { value: unknown; path: string }[] = [{ value: body, path: '' }];
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      const keyPath = childPath(path, key);
      if (isForbiddenKey(key, child)) return { path: keyPath, key };
      pending.push({ value: child, path: keyPath });
    }
  }
  return undefined;
}

/** Parses a JSON body, raising a 400 that names the problem and the field. */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) throw invalidBody('body', 'a JSON body is required');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidBody('body', `Body is not valid JSON: ${reason}`);
  }
  // Most bodies cannot contain such a key, so the walk runs only when the text could.
  if (text.includes('__proto__') || text.includes('constructor') || text.includes('\\u')) {
    const found = findForbiddenKey(body);
    if (found) {
      throw invalidBody(found.path, `the key "${found.key}" is not allowed; remove or rename it`);
    }
  }
  return body;
}

function invalidBody(field: string, message: string): ApiError {
  return new ApiError(400, `${field}: ${message}`, [{ field, message }]);
}

/**
 * Replaces Fastify's body parsers with one for JSON. Its own parser reports
 * a `__proto__` key as invalid JSON, and its text/plain parser passes strings
 * to object schemas. Without a text parser, other content types get a 415.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(String(body)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

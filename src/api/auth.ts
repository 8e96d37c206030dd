import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors';

/** Paths reachable without the token: users follow unsubscribe links from email. */
const publicPrefixes = ['/health', '/v1/unsubscribe', '/openapi.json'];

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function isPublic(request: FastifyRequest, metricsPublic: boolean): boolean {
  const path = request.url.split('?')[0] ?? '';
  if (metricsPublic && path === '/metrics') return true;
  return publicPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}?`));
}

/**
 * Requires `Authorization: Bearer <token>` on every route except health,
 * unsubscribe, the OpenAPI document and, when `metricsPublic`, /metrics.
 * Compares digests in constant time so the token does not leak by timing.
 */
export function installBearerAuth(
  app: FastifyInstance,
  token: string,
  metricsPublic: boolean,
): void {
  const expected = digest(token);
  app.addHook('onRequest', async (request) => {
    if (isPublic(request, metricsPublic)) return;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
    if (!match) {
      throw new ApiError(401, 'authorization: missing "Authorization: Bearer <token>" header', [
        { field: 'authorization', message: 'missing bearer token' },
      ]);
    }
    if (!timingSafeEqual(digest(match[1] as string), expected)) {
      throw new ApiError(401, 'authorization: the bearer token is not valid', [
        { field: 'authorization', message: 'invalid bearer token' },
      ]);
    }
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../errors';
import type { ApiDependencies } from '../ports';
import { errorResponse } from '../schemas';

const query = z.strictObject({ token: z.string().min(1).max(2000) });

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title: string, content: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}',
    'button{font-size:1rem;padding:.5rem 1rem}</style></head>',
    `<body><h1>${escapeHtml(title)}</h1>${content}</body></html>`,
  ].join('\n');
}

function readUserId(deps: ApiDependencies, token: string): string {
  const userId = deps.delivery.verifyUnsubscribeToken(token);
  if (!userId) {
    throw new ApiError(400, 'token: the unsubscribe link is invalid or was altered', [
      { field: 'token', message: 'invalid signature' },
    ]);
  }
  return userId;
}

function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

/**
 * Checks the link's token for a browser. A bad link gets a page explaining what
 * to do, rather than the JSON error that API clients and mail clients get.
 * Returns undefined when the token is valid or the caller is no browser.
 */
function linkFailure(
  deps: ApiDependencies,
  request: FastifyRequest,
  token: string,
): ((reply: FastifyReply) => FastifyReply) | undefined {
  if (!wantsHtml(request) || deps.delivery.verifyUnsubscribeToken(token)) {
    return undefined;
  }
  request.log.warn({ route: request.url.split('?')[0] }, 'unsubscribe link invalid or altered');
  const text =
    '<p>This unsubscribe link is incomplete or was changed. Open the link from the email ' +
    'again, copying all of it, or reply to the email and ask to be unsubscribed.</p>';
  return (reply) =>
    reply.code(400).type('text/html; charset=utf-8').send(page('Link not valid', text));
}

/**
 * Registers one-click unsubscribe (RFC 8058): GET shows a confirmation page
 * with a button, POST unsubscribes. Mail clients send the POST with the body
 * `List-Unsubscribe=One-Click` and get a plain 200; browsers get a page.
 * No bearer token: the signed token in the link is the credential.
 */
export function registerUnsubscribeRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  // Mail clients post the one-click body form-encoded; its content does not matter here.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get('/v1/unsubscribe', {
    schema: { summary: 'Unsubscribe confirmation page', tags: ['unsubscribe'], querystring: query },
    handler: async (request, reply: FastifyReply) => {
      const failure = linkFailure(deps, request, request.query.token);
      if (failure) return failure(reply);
      const action = `/v1/unsubscribe?token=${encodeURIComponent(request.query.token)}`;
      const form =
        '<p>Stop receiving emails from your customer-success team?</p>' +
        `<form method="post" action="${escapeHtml(action)}">` +
        '<input type="hidden" name="List-Unsubscribe" value="One-Click">' +
        '<button type="submit">Unsubscribe</button></form>';
      return reply.type('text/html; charset=utf-8').send(page('Unsubscribe', form));
    },
  });

  typed.post('/v1/unsubscribe', {
    schema: {
      summary: 'One-click unsubscribe (RFC 8058)',
      tags: ['unsubscribe'],
      querystring: query,
      response: { 400: errorResponse, 404: errorResponse },
    },
    handler: async (request, reply: FastifyReply) => {
      const failure = linkFailure(deps, request, request.query.token);
      if (failure) return failure(reply);
      const userId = readUserId(deps, request.query.token);
      if (!(await deps.delivery.unsubscribeUser(userId))) {
        throw new ApiError(404, 'token: the user of this link no longer exists', [
          { field: 'token', message: 'user not found' },
        ]);
      }
      request.log.info({ userId }, 'user unsubscribed');
      if (wantsHtml(request)) {
        const done = '<p>You are unsubscribed and will get no more emails from us.</p>';
        return reply.type('text/html; charset=utf-8').send(page('Unsubscribed', done));
      }
      return reply.send({ unsubscribed: true });
    },
  });
}

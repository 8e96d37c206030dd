import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { TemporalUnavailableError } from '../service/temporal-errors';
import { AsOfBeforeAccountError } from '../signals/account-start';

/** One problem with a request, by the field it concerns (`events[3].occurredAt`). */
export interface FieldIssue {
  field: string;
  message: string;
}

/** An error that a route raises on purpose; its status and message reach the client as they are. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Raises a 422 naming each item that refers to an id that is not stored. */
export function unknownReferences(issues: FieldIssue[]): ApiError {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new ApiError(422, `${first?.field}: ${first?.message}${more}`, issues);
}

/** Turns a JSON pointer of a validation issue into a field path such as `events[3].occurredAt`. */
export function fieldPath(context: string | undefined, pointer: string): string {
  const parts = pointer.split('/').filter((part) => part !== '');
  let path = context === 'body' || !context ? '' : context;
  for (const part of parts) {
    if (/^\d+$/.test(part)) path += `[${part}]`;
    else if (path === '') path = part;
    else path += `.${part}`;
  }
  return path === '' ? (context ?? 'body') : path;
}

const statusNames: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function send(reply: FastifyReply, statusCode: number, message: string, issues: FieldIssue[]) {
  return reply.code(statusCode).send({
    statusCode,
    error: statusNames[statusCode] ?? 'Error',
    message,
    ...(issues[0] ? { field: issues[0].field, issues } : {}),
  });
}

/**
 * Sends a JSON error naming the field for every failure: validation issues
 * as 400 (413 for an oversized batch), malformed JSON as 400, a content type
 * other than JSON as 415, an oversized body as 413. Unexpected errors become a 500 without details, and the log
 * gets the stack for the operator instead.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiError)
      return send(reply, error.statusCode, error.message, error.issues);
    if (error instanceof TemporalUnavailableError) {
      request.log.warn({ err: error, requestId: request.id }, 'Temporal unavailable');
      return send(reply, 503, error.message, []);
    }
    if (error instanceof AsOfBeforeAccountError)
      return send(reply, 400, `asOf: ${error.message}`, [
        { field: 'asOf', message: error.message },
      ]);

    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((issue) => ({
        field: fieldPath(error.validationContext, issue.instancePath),
        message: issue.message ?? issue.keyword,
      }));
      const oversized = error.validation.some(
        (issue) => issue.keyword === 'too_big' && issue.params.origin === 'array',
      );
      const first = issues[0] as FieldIssue;
      return send(reply, oversized ? 413 : 400, `${first.field}: ${first.message}`, issues);
    }

    const status = error.statusCode ?? 500;
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const type = request.headers['content-type'];
      const sent = type ? `content-type "${type}" is not supported` : 'content-type is missing';
      return send(reply, 415, `${sent}; send the body as application/json`, []);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? request.server.initialConfig.bodyLimit;
      const message =
        `body: the request body is larger than the limit of ${limit} bytes ` +
        '(UPTAKE_MAX_BODY_BYTES); send it in smaller batches or raise UPTAKE_MAX_BODY_BYTES';
      return send(reply, 413, message, [{ field: 'body', message }]);
    }
    if (status < 500) {
      const field = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'body' : undefined;
      const message = error.code?.startsWith('FST_ERR_CTP_EMPTY')
        ? 'body: a JSON body is required'
        : error.message;
      return send(reply, status, message, field ? [{ field, message }] : []);
    }

    request.log.error({ err: error, requestId: request.id }, 'request failed');
    return send(reply, 500, `internal error; see the service log for request ${request.id}`, []);
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, 404, `no route ${request.method} ${request.url.split('?')[0]}`, []),
  );
}

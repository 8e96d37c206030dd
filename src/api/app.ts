import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Logger } from '../logger';
import { installBearerAuth } from './auth';
import { installErrorHandler } from './errors';
import { installJsonBodyParser } from './json-body';
import { instrumentRequests, type ServiceMetrics } from './metrics';
import type { ApiDependencies } from './ports';
import { registerDeliveryRoutes } from './routes/deliveries';
import { registerEventRoutes } from './routes/events';
import { registerFeedbackRoutes } from './routes/feedback';
import { registerInboxRoutes } from './routes/inbox';
import { registerIngestRoutes } from './routes/ingest';
import { registerLifecycleRoutes } from './routes/lifecycle';
import { registerStatusRoutes } from './routes/status';
import { registerUnsubscribeRoutes } from './routes/unsubscribe';

/** Settings of the HTTP API. */
export interface ApiOptions {
  logger: Logger;
  apiToken: string;
  metrics: ServiceMetrics;
  maxBatchSize: number;
  maxBodyBytes: number;
  /** When true, /metrics is readable without the bearer token. */
  metricsPublic: boolean;
}

/**
 * Builds the Fastify app with zod validation, the OpenAPI document at
 * /openapi.json, bearer auth, JSON errors and every route. The caller
 * listens (or injects requests in tests) and closes it.
 */
export async function buildApp(
  deps: ApiDependencies,
  options: ApiOptions,
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Per-request lines would flood the log at ingest rates; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.maxBodyBytes,
    // Request ids go into every error log line and every 500 response.
    requestIdHeader: 'x-request-id',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Uptake API',
        description: 'Ingest customers and usage; read account state, notices and CSM tasks.',
        version: '1',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  installErrorHandler(app);
  installJsonBodyParser(app);
  installBearerAuth(app, options.apiToken, options.metricsPublic);
  instrumentRequests(app, options.metrics);

  registerStatusRoutes(app, deps, options.metrics);
  registerIngestRoutes(app, deps, options.metrics, options.maxBatchSize);
  registerEventRoutes(app, deps, options.metrics, options.maxBatchSize);
  registerFeedbackRoutes(app, deps, options.metrics, options.maxBatchSize);
  registerInboxRoutes(app, deps);
  registerLifecycleRoutes(app, deps);
  registerDeliveryRoutes(app, deps);
  registerUnsubscribeRoutes(app, deps);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.ready();
  return app;
}

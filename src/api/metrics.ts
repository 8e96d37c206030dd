import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A count of delivered (or attempted) actions by channel and status. */
export interface DeliveryCount {
  channel: string;
  status: string;
  count: number;
}

/** The Prometheus metrics of one service process, in their own registry. */
export interface ServiceMetrics {
  registry: Registry;
  ingested: Counter<'kind' | 'result'>;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
}

/**
 * Creates the registry: ingested items by kind and result (accepted,
 * duplicate), HTTP request durations by route, deliveries by channel and
 * status read from the outbox at scrape time, and Node's default metrics.
 */
export function createMetrics(countDeliveries?: () => Promise<DeliveryCount[]>): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'uptake_' });

  const ingested = new Counter({
    name: 'uptake_ingested_items_total',
    help: 'Items received by the ingest routes, by kind and result (accepted or duplicate).',
    labelNames: ['kind', 'result'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'uptake_http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'uptake_deliveries',
    help: 'Actions in the outbox, by channel and delivery status.',
    labelNames: ['channel', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await countDeliveries?.()) ?? []) {
        this.set({ channel: row.channel, status: row.status }, row.count);
      }
    },
  });
  return { registry, ingested, httpDuration };
}

/** Times every request into the HTTP histogram, labelled by route pattern (not the raw URL). */
export function instrumentRequests(app: FastifyInstance, metrics: ServiceMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}

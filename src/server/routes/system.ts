/** `GET /health`, `GET /metrics` (Prometheus text) and `GET /v1/openapi.json`. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { renderGauge } from '../metrics.js';
import type { OpenApiCollector } from '../openapi.js';

/** Registers the system routes. */
export function systemRoutes(ctx: AppContext, openapi: OpenApiCollector, version: string) {
  return async (app: FastifyInstance) => {
    app.get('/health', { config: { openapi: { summary: 'Liveness' } } }, async () => ({ status: 'ok' }));
    app.get('/v1/openapi.json', { config: { openapi: { summary: 'This document' } } }, async () =>
      openapi.document(version),
    );
    app.get(
      '/metrics',
      { config: { scope: 'read', openapi: { summary: 'Prometheus metrics' } } },
      async (_req, reply) => {
        const m = ctx.metrics;
        const lines = [
          ...m.events.render(),
          ...m.labels.render(),
          ...m.batches.render(),
          ...m.rejects.render(),
          ...m.batchSeconds.render(),
          ...renderGauge(
            'plumbline_ingest_queue_depth',
            'Batches waiting for or in a write.',
            ctx.ingest.queueDepth,
          ),
          ...renderGauge(
            'plumbline_store_size_bytes',
            'Bytes used by the store.',
            await ctx.store.getSizeBytes(),
          ),
        ];
        return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
      },
    );
  };
}

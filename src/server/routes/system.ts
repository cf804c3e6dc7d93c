/** `GET /health`, `GET /metrics` (Prometheus text), `GET /v1/openapi.json` and `GET /v1/auth/whoami`. */
import type { FastifyInstance } from 'fastify';
import { KeyChecker, keyScopes } from '../auth.js';
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
    const keys = new KeyChecker(ctx.store);
    // The dashboard hides write actions from keys without their scope. The hook has already checked
    // `read` when keys are required; without a presented key the server requires none, so every
    // scope applies.
    app.get(
      '/v1/auth/whoami',
      { config: { scope: 'read', openapi: { summary: "The presented API key's id and scopes" } } },
      async (req) => {
        const key = await keys.identify(req.headers.authorization);
        return key
          ? { auth: true, keyId: key.id, scopes: key.scopes }
          : { auth: false, keyId: null, scopes: [...keyScopes] };
      },
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

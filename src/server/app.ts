/**
 * The HTTP app: `buildApp(options)` returns a ready Fastify instance without listening (tests use
 * `app.inject()`; `plumbline serve` calls `listen`). Every error leaves as
 * `{ error: { code, message, issues: [{ index, field, value, expected }] } }`.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { errors } from '../errors.js';
import { type IngestOptions, IngestService } from '../ingest/service.js';
import type { Store } from '../store/store.js';
import { KeyChecker } from './auth.js';
import type { AppContext, PlumblineRouteConfig } from './context.js';
import { errorBody, toPlumblineError } from './errors.js';
import { createServerMetrics } from './metrics.js';
import { OpenApiCollector } from './openapi.js';
import { alertRoutes } from './routes/alerts.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { eventRoutes } from './routes/events.js';
import { metricsRoutes } from './routes/metrics.js';
import { modelRoutes } from './routes/models.js';
import { rcaRoutes } from './routes/rca.js';
import { referenceRoutes } from './routes/reference.js';
import { systemRoutes } from './routes/system.js';
import { versionRoutes } from './routes/versions.js';
import { webRoutes } from './routes/web.js';

/** Options of `buildApp`. */
export interface AppOptions {
  store: Store;
  /** Sampling and clock options of the ingest service. */
  ingest?: IngestOptions;
  /** Largest request body in bytes (default 32 MiB); larger bodies get 413. */
  bodyLimit?: number;
  /** Fastify/pino logger option (default false; `plumbline serve` turns it on). */
  logger?: FastifyServerOptions['logger'];
  /** Require API keys (default: true when the store holds any key). */
  requireAuth?: boolean;
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: () => number;
}

const defaults = { bodyLimit: 32 * 1024 * 1024, logger: false, now: () => Date.now() };

/** Plumbline's version as reported by the API. */
export const apiVersion = '0.1.0';

/** Builds the app (routes, validation, auth, metrics) without listening. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const o = { ...defaults, ...options };
  const app = Fastify({
    logger: o.logger,
    bodyLimit: o.bodyLimit,
    ajv: {
      customOptions: {
        allErrors: true,
        coerceTypes: false,
        useDefaults: true,
        removeAdditional: false,
        allowUnionTypes: true,
      },
    },
  });
  const ctx: AppContext = {
    store: o.store,
    ingest: new IngestService(o.store, { now: o.now, ...o.ingest }),
    metrics: createServerMetrics(),
    now: o.now,
  };
  const requireAuth = o.requireAuth ?? (await o.store.queryApiKeys()).length > 0;
  const keys = new KeyChecker(o.store);
  const openapi = new OpenApiCollector();
  app.addHook('onRoute', (route) => openapi.add(route));

  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string' }, (_req, body, done) => {
    const events: unknown[] = [];
    const lines = String(body).split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === '') continue;
      try {
        events.push(JSON.parse(line));
      } catch {
        done(
          errors.invalidInput(`line ${i + 1} is not JSON`, [
            {
              index: events.length,
              field: 'body',
              value: line.slice(0, 80),
              expected: 'one JSON object per line',
            },
          ]),
        );
        return;
      }
    }
    done(null, events);
  });

  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config as PlumblineRouteConfig;
    if (requireAuth && config.scope) await keys.check(req.headers.authorization, config.scope);
  });

  app.setErrorHandler((err, req, reply) => {
    const e = toPlumblineError(err, req.body);
    const config = (req.routeOptions?.config ?? {}) as PlumblineRouteConfig;
    if (config.ingest) ctx.metrics.rejects.inc({ reason: rejectReason(e.code) });
    if (e.statusCode >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: e.code, issues: e.issues.length }, 'request rejected');
    return reply.code(e.statusCode).send(errorBody(e));
  });
  app.setNotFoundHandler((req, reply) => {
    const e = errors.notFound(`no route ${req.method} ${req.url}`, [
      { field: 'route', value: `${req.method} ${req.url}`, expected: 'a route listed in /v1/openapi.json' },
    ]);
    return reply.code(404).send(errorBody(e));
  });

  await app.register(systemRoutes(ctx, openapi, apiVersion));
  await app.register(modelRoutes(ctx));
  await app.register(versionRoutes(ctx));
  await app.register(referenceRoutes(ctx));
  await app.register(eventRoutes(ctx));
  await app.register(alertRoutes(ctx));
  await app.register(metricsRoutes(ctx));
  await app.register(rcaRoutes(ctx));
  await app.register(dashboardRoutes(ctx));
  await app.register(webRoutes());
  await app.ready();
  return app;
}

function rejectReason(code: string): string {
  switch (code) {
    case 'PLB_ERR_NOT_FOUND':
      return 'unknown_model';
    case 'PLB_ERR_PAYLOAD_TOO_LARGE':
      return 'too_large';
    case 'PLB_ERR_UNAUTHORIZED':
    case 'PLB_ERR_FORBIDDEN':
      return 'unauthorized';
    case 'PLB_ERR_INVALID_INPUT':
      return 'invalid';
    case 'PLB_ERR_UNSUPPORTED_MEDIA_TYPE':
      return 'media_type';
    default:
      return 'error';
  }
}

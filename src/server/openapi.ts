/**
 * OpenAPI 3.0 document generated from the routes' JSON schemas, collected as routes register.
 * Bodies validated by hand (prediction and label batches) declare their schema in
 * `config.openapi.body` so that it is documented without Fastify compiling it.
 */
import type { RouteOptions } from 'fastify';

interface RouteDoc {
  method: string;
  url: string;
  summary?: string;
  scope?: string;
  schema?: Record<string, unknown>;
  body?: Record<string, unknown>;
  contentTypes?: string[];
}

/** Per-route documentation options, passed as `config.openapi`. */
export interface OpenApiConfig {
  summary?: string;
  body?: Record<string, unknown>;
  contentTypes?: string[];
}

/** Collects routes (an `onRoute` hook) and renders the document. */
export class OpenApiCollector {
  private readonly routes: RouteDoc[] = [];

  /** Records a route; call from `onRoute`. */
  add(route: RouteOptions): void {
    const config = (route.config ?? {}) as { openapi?: OpenApiConfig; scope?: string };
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      this.routes.push({
        method: method.toLowerCase(),
        url: route.url,
        summary: config.openapi?.summary,
        scope: config.scope,
        schema: route.schema as Record<string, unknown> | undefined,
        body: config.openapi?.body,
        contentTypes: config.openapi?.contentTypes,
      });
    }
  }

  /** The OpenAPI 3.0.3 document. */
  document(version: string): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const r of this.routes) {
      const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const params = [...r.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      const body = r.body ?? (r.schema?.body as Record<string, unknown> | undefined);
      const op: Record<string, unknown> = {
        summary: r.summary,
        parameters: params,
        responses: {
          '200': { description: 'OK' },
          '4XX': { description: 'Error', content: { 'application/json': { schema: errorSchema } } },
        },
      };
      if (r.scope) op.security = [{ apiKey: [r.scope] }];
      if (body) {
        const types = r.contentTypes ?? ['application/json'];
        op.requestBody = {
          required: true,
          content: Object.fromEntries(types.map((t) => [t, { schema: body }])),
        };
      }
      paths[path] = { ...(paths[path] ?? {}), [r.method]: op };
    }
    return {
      openapi: '3.0.3',
      info: { title: 'Plumbline ingest API', version },
      paths,
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
    };
  }
}

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        issues: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              index: { type: 'integer' },
              field: { type: 'string' },
              value: {},
              expected: { type: 'string' },
            },
          },
        },
      },
    },
  },
};

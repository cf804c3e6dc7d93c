/**
 * `POST /v1/models/:model/predictions` and `…/labels`: a JSON array or NDJSON of events,
 * validated as a whole (all-or-nothing), answered after the store commit.
 */
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { errors } from '../../errors.js';
import { labelEventSchema, predictionEventSchema } from '../../ingest/schema.js';
import type { AppContext } from '../context.js';
import { modelParams } from './models.js';

function asBatch(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  throw errors.invalidInput('the body must be a JSON array of events or NDJSON (one event per line)', [
    {
      field: 'body',
      value: body === null ? null : typeof body,
      expected: 'a JSON array of events, or application/x-ndjson',
    },
  ]);
}

const contentTypes = ['application/json', 'application/x-ndjson'];

/** Registers the prediction and label routes. */
export function eventRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.post<{ Params: { model: string } }>(
      '/v1/models/:model/predictions',
      {
        schema: { params: modelParams },
        config: {
          scope: 'ingest',
          ingest: 'predictions',
          openapi: {
            summary: 'Ingest a batch of predictions; idempotent by eventId',
            body: { type: 'array', items: predictionEventSchema },
            contentTypes,
          },
        },
      },
      async (req) => {
        const t0 = performance.now();
        const result = await ctx.ingest.ingestPredictions(req.params.model, asBatch(req.body));
        ctx.metrics.batchSeconds.observe((performance.now() - t0) / 1000);
        ctx.metrics.batches.inc({ kind: 'predictions' });
        ctx.metrics.events.inc({ outcome: 'accepted' }, result.accepted);
        ctx.metrics.events.inc({ outcome: 'duplicate' }, result.duplicates);
        ctx.metrics.events.inc({ outcome: 'stored' }, result.stored);
        return result;
      },
    );
    app.post<{ Params: { model: string } }>(
      '/v1/models/:model/labels',
      {
        schema: { params: modelParams },
        config: {
          scope: 'ingest',
          ingest: 'labels',
          openapi: {
            summary: 'Ingest ground-truth labels; the first label of an event wins',
            body: { type: 'array', items: labelEventSchema },
            contentTypes,
          },
        },
      },
      async (req) => {
        const t0 = performance.now();
        const result = await ctx.ingest.ingestLabels(req.params.model, asBatch(req.body));
        ctx.metrics.batchSeconds.observe((performance.now() - t0) / 1000);
        ctx.metrics.batches.inc({ kind: 'labels' });
        ctx.metrics.labels.inc({ outcome: 'accepted' }, result.accepted);
        ctx.metrics.labels.inc({ outcome: 'duplicate' }, result.duplicates);
        ctx.metrics.labels.inc({ outcome: 'conflict' }, result.conflicts.length);
        return result;
      },
    );
  };
}

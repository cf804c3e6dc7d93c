/** `POST /v1/models/:model/reference`: freeze a reference snapshot from a server-side file or a time range. */
import type { FastifyInstance } from 'fastify';
import { errors } from '../../errors.js';
import { referenceInputSchema } from '../../ingest/schema.js';
import { parseTimestamp } from '../../ingest/validate.js';
import type { Snapshot } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { modelParams } from './models.js';

interface ReferenceInput {
  path?: string;
  from?: string | number;
  to?: string | number;
}

/** Registers the reference route. */
export function referenceRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.post<{ Params: { model: string }; Body: ReferenceInput }>(
      '/v1/models/:model/reference',
      {
        schema: { params: modelParams, body: referenceInputSchema },
        config: {
          scope: 'admin',
          openapi: { summary: 'Set the reference snapshot (file path or event time range)' },
        },
      },
      async (req, reply) => {
        const model = await ctx.ingest.requireModel(req.params.model);
        const { path, from, to } = req.body;
        const byRange = from !== undefined || to !== undefined;
        if ((path !== undefined) === byRange) {
          throw errors.invalidInput('give either path or from and to', [
            { field: 'path', expected: 'either path, or from and to (not both, not neither)' },
          ]);
        }
        let snapshot: Snapshot;
        if (path !== undefined) snapshot = await ctx.store.insertSnapshotFromFile(model.id, path);
        else {
          const fromMs = parseTimestamp(from);
          const toMs = parseTimestamp(to);
          const issues = [];
          if (fromMs === undefined) issues.push({ field: 'from', value: from, expected: 'a timestamp' });
          if (toMs === undefined) issues.push({ field: 'to', value: to, expected: 'a timestamp' });
          if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) {
            issues.push({ field: 'to', value: to, expected: 'a time after from' });
          }
          if (issues.length > 0) throw errors.invalidInput('invalid time range', issues);
          snapshot = await ctx.store.insertSnapshotFromEvents(model.id, { fromMs: fromMs!, toMs: toMs! });
          if (snapshot.rowCount === 0) {
            throw errors.emptyInput('no stored events in the range', [
              { field: 'from', value: from, expected: 'a range holding stored events' },
            ]);
          }
        }
        await ctx.store.setReference(model.id, snapshot.id);
        return reply.code(201).send({ snapshot });
      },
    );
  };
}

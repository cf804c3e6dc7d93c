/** `POST /v1/models`, `GET /v1/models`, `GET /v1/models/:model`. */
import type { FastifyInstance } from 'fastify';
import { errors, type Issue } from '../../errors.js';
import { modelInputSchema } from '../../ingest/schema.js';
import type { Model, ModelSchema } from '../../store/store.js';
import type { AppContext } from '../context.js';

/** A model definition as posted (defaults filled by the JSON schema). */
export interface ModelInput {
  id: string;
  task?: 'binary';
  schema: Omit<ModelSchema, 'scoreField' | 'threshold' | 'segments'> & Partial<ModelSchema>;
}

const eventFields = new Set([
  'eventId',
  'timestamp',
  'version',
  'features',
  'prediction',
  'latencyMs',
  'stages',
  'tags',
]);

/** Checks what JSON schema cannot: class references, unique names, segment references. */
export function checkModelInput(input: ModelInput, nowMs: number): Model {
  const s = input.schema;
  const issues: Issue[] = [];
  const names = new Set<string>();
  s.features.forEach((f, i) => {
    if (names.has(f.name))
      issues.push({ field: `schema.features.${i}.name`, value: f.name, expected: 'a unique name' });
    names.add(f.name);
  });
  if (s.label.classes[0] === s.label.classes[1]) {
    issues.push({ field: 'schema.label.classes', value: s.label.classes, expected: 'two different classes' });
  }
  if (!s.label.classes.includes(s.positiveClass)) {
    issues.push({
      field: 'schema.positiveClass',
      value: s.positiveClass,
      expected: `one of ${s.label.classes.join(', ')}`,
    });
  }
  const scoreField = s.scoreField ?? 'score';
  if (eventFields.has(scoreField)) {
    issues.push({
      field: 'schema.scoreField',
      value: scoreField,
      expected: 'a name not used by other event fields',
    });
  }
  for (const seg of s.segments ?? []) {
    if (!names.has(seg) && !/^tags\.[^.]+$/.test(seg)) {
      issues.push({ field: 'schema.segments', value: seg, expected: 'a feature name or tags.<name>' });
    }
  }
  if (issues.length > 0)
    throw errors.invalidInput(`${issues.length} problem(s) in the model definition`, issues);
  return {
    id: input.id,
    task: 'binary',
    schema: {
      features: s.features.map((f) => ({ name: f.name, type: f.type })),
      label: { name: s.label.name, classes: [s.label.classes[0], s.label.classes[1]] },
      positiveClass: s.positiveClass,
      scoreField,
      threshold: s.threshold ?? 0.5,
      segments: s.segments ?? [],
    },
    createdAtMs: nowMs,
  };
}

const params = {
  type: 'object',
  required: ['model'],
  properties: { model: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

/** Registers the model routes. */
export function modelRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.post<{ Body: ModelInput }>(
      '/v1/models',
      {
        schema: { body: modelInputSchema },
        config: {
          scope: 'admin',
          openapi: { summary: 'Create a model (idempotent for an identical definition)' },
        },
      },
      async (req, reply) => {
        const model = checkModelInput(req.body, ctx.now());
        const outcome = await ctx.store.insertModel(model);
        const stored = await ctx.store.getModel(model.id);
        return reply.code(outcome === 'created' ? 201 : 200).send({ outcome, model: stored });
      },
    );
    app.get('/v1/models', { config: { scope: 'read', openapi: { summary: 'List models' } } }, async () => ({
      models: await ctx.store.queryModels(),
    }));
    app.get<{ Params: { model: string } }>(
      '/v1/models/:model',
      {
        schema: { params },
        config: { scope: 'read', openapi: { summary: 'Show a model, its versions and reference' } },
      },
      async (req) => {
        const model = await ctx.ingest.requireModel(req.params.model);
        const versions = await ctx.store.queryVersionSummaries(model.id);
        return { model, versions, reference: (await ctx.store.getReference(model.id)) ?? null };
      },
    );
  };
}

/** The path-parameter schema shared by `/v1/models/:model/…` routes. */
export const modelParams = params;

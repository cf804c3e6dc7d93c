/** `POST /v1/models/:model/versions`: register a version (artifact bytes or a server-side path). */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { errors } from '../../errors.js';
import { versionInputSchema } from '../../ingest/schema.js';
import type { ArtifactFormat, Lineage, ModelVersion, VersionStage } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { modelParams } from './models.js';

interface VersionInput {
  id: string;
  format: ArtifactFormat;
  artifactBase64?: string;
  artifactPath?: string;
  stage?: VersionStage;
  lineage?: Lineage;
}

async function readArtifact(
  input: VersionInput,
): Promise<{ bytes: Uint8Array; artifact: ModelVersion['artifact'] }> {
  if ((input.artifactBase64 === undefined) === (input.artifactPath === undefined)) {
    throw errors.invalidInput('give exactly one of artifactBase64 and artifactPath', [
      { field: 'artifactBase64', expected: 'exactly one of artifactBase64 or artifactPath' },
    ]);
  }
  if (input.artifactBase64 !== undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.artifactBase64)) {
      throw errors.invalidInput('artifactBase64 is not base64', [
        { field: 'artifactBase64', value: input.artifactBase64.slice(0, 40), expected: 'base64 text' },
      ]);
    }
    const bytes = new Uint8Array(Buffer.from(input.artifactBase64, 'base64'));
    return { bytes, artifact: { bytes } };
  }
  const path = input.artifactPath as string;
  try {
    return { bytes: new Uint8Array(await readFile(path)), artifact: { path } };
  } catch {
    throw errors.fileNotFound(`cannot read artifact ${path}`, [
      { field: 'artifactPath', value: path, expected: 'a file readable by the server' },
    ]);
  }
}

/** Registers the version routes. */
export function versionRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.post<{ Params: { model: string }; Body: VersionInput }>(
      '/v1/models/:model/versions',
      {
        schema: { params: modelParams, body: versionInputSchema },
        config: { scope: 'admin', openapi: { summary: 'Register a model version (SHA-256 content hash)' } },
      },
      async (req, reply) => {
        const model = await ctx.ingest.requireModel(req.params.model);
        const { bytes, artifact } = await readArtifact(req.body);
        const version: ModelVersion = {
          id: req.body.id,
          model: model.id,
          format: req.body.format,
          artifact,
          contentHash: createHash('sha256').update(bytes).digest('hex'),
          lineage: req.body.lineage ?? {},
          stage: req.body.stage ?? 'registered',
          createdAtMs: ctx.now(),
        };
        const outcome = await ctx.store.insertModelVersion(version);
        const { artifact: _a, ...shown } = version;
        return reply
          .code(outcome === 'created' ? 201 : 200)
          .send({ outcome, version: { ...shown, bytes: bytes.length } });
      },
    );
  };
}

/**
 * The wire format of Plumbline's ingest API: TypeScript types and the JSON schemas the server
 * publishes (OpenAPI) and the SDK types its calls with. No runtime dependencies, so the SDK can
 * import it. Event validation against a model's own schema lives in `./validate.ts`.
 */

/** A feature value on the wire; `null` (or leaving the feature out) is a missing value. */
export type WireFeatureValue = number | string | boolean | null;

/** One prediction as clients send it. */
export interface PredictionEvent {
  /** Client-made unique id; retries with the same id are acknowledged but never stored twice. */
  eventId: string;
  /** Event time: ISO 8601 with a zone (`2001-01-05T10:00:00Z`) or epoch milliseconds. */
  timestamp: string | number;
  /** Model version that made the prediction. */
  version: string;
  /** Feature name → value; names must be in the model schema. */
  features: Record<string, WireFeatureValue>;
  /** Predicted class (one of the label classes). */
  prediction: string | number | boolean;
  /** Probability of the positive class, or a class → probability map summing to 1. */
  score: number | Record<string, number>;
  /** Total serving latency in milliseconds. */
  latencyMs: number;
  /** Optional per-stage timings in milliseconds (`{ features: 2.1, model: 0.4 }`). */
  stages?: Record<string, number>;
  /** Free-form string tags: pipeline version, region, host, `error`, … */
  tags?: Record<string, string>;
}

/** One ground-truth label, joined to its prediction by `eventId`. */
export interface LabelEvent {
  eventId: string;
  /** The true class (one of the label classes). */
  label: string | number | boolean;
  /** When the label became known: ISO 8601 with a zone or epoch milliseconds. */
  timestamp: string | number;
}

/** Response of an accepted prediction batch. */
export interface PredictionBatchResult {
  accepted: number;
  duplicates: number;
  /** Detailed rows kept (fewer than `accepted` when sampling is on). */
  stored: number;
}

/** Response of an accepted label batch. */
export interface LabelBatchResult {
  accepted: number;
  duplicates: number;
  conflicts: { index: number; eventId: string; stored: string; received: string }[];
}

/** One field-level problem in an error body. */
export interface WireIssue {
  index?: number;
  field: string;
  value?: unknown;
  expected: string;
}

/** Body of every 4xx/5xx answer. */
export interface ErrorBody {
  error: { code: string; message: string; issues: WireIssue[] };
}

/** Limits on the wire format. */
export const limits = {
  /** Longest event id, version, tag key or tag value. */
  maxIdLength: 128,
  maxTagValueLength: 512,
  /** Most events in one batch. */
  maxBatchEvents: 50_000,
} as const;

/** Model id and feature-name patterns (they become table and column names). */
export const namePatterns = {
  model: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$',
  feature: '^[A-Za-z_][A-Za-z0-9_]{0,63}$',
} as const;

const finiteNumber = { type: 'number' } as const;
const timestamp = {
  oneOf: [{ type: 'string', format: 'date-time' }, { type: 'number' }],
  description: 'ISO 8601 with a zone, or epoch milliseconds',
} as const;

/** JSON schema of a prediction event (documentation; `validate.ts` checks it against the model). */
export const predictionEventSchema = {
  type: 'object',
  required: ['eventId', 'timestamp', 'version', 'features', 'prediction', 'score', 'latencyMs'],
  additionalProperties: false,
  properties: {
    eventId: { type: 'string', minLength: 1, maxLength: limits.maxIdLength },
    timestamp,
    version: { type: 'string', minLength: 1, maxLength: limits.maxIdLength },
    features: {
      type: 'object',
      additionalProperties: { type: ['number', 'string', 'boolean', 'null'] },
    },
    prediction: { type: ['string', 'number', 'boolean'] },
    score: {
      oneOf: [
        { type: 'number', minimum: 0, maximum: 1 },
        { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 1 } },
      ],
    },
    latencyMs: { ...finiteNumber, minimum: 0 },
    stages: { type: 'object', additionalProperties: { ...finiteNumber, minimum: 0 } },
    tags: { type: 'object', additionalProperties: { type: 'string', maxLength: limits.maxTagValueLength } },
  },
} as const;

/** JSON schema of a label event. */
export const labelEventSchema = {
  type: 'object',
  required: ['eventId', 'label', 'timestamp'],
  additionalProperties: false,
  properties: {
    eventId: { type: 'string', minLength: 1, maxLength: limits.maxIdLength },
    label: { type: ['string', 'number', 'boolean'] },
    timestamp,
  },
} as const;

/** JSON schema of a model definition (`POST /v1/models`, `plumbline models create --file`). */
export const modelInputSchema = {
  type: 'object',
  required: ['id', 'schema'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: namePatterns.model },
    task: { type: 'string', enum: ['binary'], default: 'binary' },
    schema: {
      type: 'object',
      required: ['features', 'label', 'positiveClass'],
      additionalProperties: false,
      properties: {
        features: {
          type: 'array',
          minItems: 1,
          maxItems: 1000,
          items: {
            type: 'object',
            required: ['name', 'type'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', pattern: namePatterns.feature },
              type: { type: 'string', enum: ['numeric', 'categorical', 'boolean'] },
            },
          },
        },
        label: {
          type: 'object',
          required: ['name', 'classes'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1 },
            classes: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 },
          },
        },
        positiveClass: { type: 'string' },
        scoreField: { type: 'string', default: 'score' },
        threshold: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
        segments: { type: 'array', items: { type: 'string' }, default: [] },
      },
    },
  },
} as const;

/** JSON schema of a version registration (`POST /v1/models/{model}/versions`). */
export const versionInputSchema = {
  type: 'object',
  required: ['id', 'format'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1, maxLength: limits.maxIdLength },
    format: { type: 'string', enum: ['plumbline-gbdt', 'xgboost-json', 'lightgbm-text', 'onnx'] },
    artifactBase64: { type: 'string', description: 'the artifact bytes, base64' },
    artifactPath: { type: 'string', description: 'or a path readable by the server' },
    stage: {
      type: 'string',
      enum: ['registered', 'shadow', 'canary', 'champion', 'retired'],
      default: 'registered',
    },
    lineage: {
      type: 'object',
      additionalProperties: false,
      properties: {
        snapshotId: { type: 'string' },
        params: { type: 'object' },
        codeVersion: { type: 'string' },
        seed: { type: 'integer' },
      },
    },
  },
} as const;

/** JSON schema of a reference request: a server-side file, or a time range of stored events. */
export const referenceInputSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: { type: 'string', minLength: 1 },
    from: timestamp,
    to: timestamp,
  },
} as const;

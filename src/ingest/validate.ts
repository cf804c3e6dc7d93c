/**
 * Validation of ingest batches against a model's schema. Collects every problem of every event
 * (`{ index, field, value, expected }`) so a rejected batch lists all of them at once; a batch is
 * accepted only when it has none (all-or-nothing).
 */
import type { Issue } from '../errors.js';
import type { FeatureValue, LabelRecord, Model, PredictionRecord } from '../store/store.js';
import { limits } from './schema.js';

/** Outcome of validating a batch: the parsed records, or every issue found. */
export type Validated<T> = { ok: true; records: T[] } | { ok: false; issues: Issue[] };

/** Most issues reported for one batch (the rest are counted in a final issue). */
const maxIssues = 1000;
const isoTimestamp = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
// Event times outside 1970–2200 are certainly unit bugs (seconds or microseconds for milliseconds).
const minTimeMs = 0;
const maxTimeMs = Date.UTC(2200, 0, 1);

/** Shortens long values so that an error body stays small. */
function shown(value: unknown): unknown {
  if (typeof value === 'string' && value.length > 120) return `${value.slice(0, 117)}...`;
  if (typeof value === 'object' && value !== null) {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : value;
  }
  return value;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

class IssueList {
  readonly items: Issue[] = [];
  dropped = 0;
  add(index: number, field: string, value: unknown, expected: string): void {
    if (this.items.length < maxIssues) this.items.push({ index, field, value: shown(value), expected });
    else this.dropped++;
  }
  result<T>(records: T[]): Validated<T> {
    if (this.items.length === 0) return { ok: true, records };
    const issues = [...this.items];
    if (this.dropped > 0)
      issues.push({ field: 'batch', value: this.dropped, expected: 'fewer problems (more not listed)' });
    return { ok: false, issues };
  }
}

/** Parses an event time: ISO 8601 with a zone, or epoch milliseconds; `undefined` if invalid. */
export function parseTimestamp(value: unknown): number | undefined {
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value;
  else if (typeof value === 'string' && isoTimestamp.test(value)) ms = Date.parse(value);
  return ms !== undefined && Number.isFinite(ms) && ms >= minTimeMs && ms < maxTimeMs ? ms : undefined;
}

const kindOf = { numeric: 'number', categorical: 'string', boolean: 'boolean' } as const;
const featureExpected = {
  numeric: 'a finite number or null (numeric feature)',
  categorical: 'a string or null (categorical feature)',
  boolean: 'true, false or null (boolean feature)',
} as const;
const inUnit = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

const timestampExpected = 'an ISO 8601 timestamp with a zone or epoch milliseconds (1970–2200)';

function checkId(issues: IssueList, index: number, field: string, value: unknown): value is string {
  if (typeof value === 'string' && value.length > 0 && value.length <= limits.maxIdLength) return true;
  issues.add(index, field, value, `a non-empty string of at most ${limits.maxIdLength} characters`);
  return false;
}

function checkBatch(issues: IssueList, events: unknown[]): boolean {
  if (events.length === 0) issues.add(0, 'batch', 0, 'at least one event');
  if (events.length > limits.maxBatchEvents) {
    issues.add(0, 'batch', events.length, `at most ${limits.maxBatchEvents} events per batch`);
    return false;
  }
  return true;
}

const predictionKeys = new Set([
  'eventId',
  'timestamp',
  'version',
  'features',
  'prediction',
  'score',
  'latencyMs',
  'stages',
  'tags',
]);

/** Validates a batch of prediction events against `model`; every problem is listed. */
export function validatePredictions(model: Model, events: unknown[]): Validated<PredictionRecord> {
  const issues = new IssueList();
  if (!checkBatch(issues, events)) return issues.result([]);
  const { schema } = model;
  const features = new Map(schema.features.map((f) => [f.name, f.type]));
  const classes = schema.label.classes;
  const scoreField = schema.scoreField;
  const known = new Set([...predictionKeys, scoreField]);
  if (scoreField !== 'score') known.delete('score');
  const records: PredictionRecord[] = [];
  events.forEach((raw, i) => {
    const before = issues.items.length + issues.dropped;
    if (!isRecord(raw)) {
      issues.add(i, '', raw, 'a prediction event object');
      return;
    }
    for (const key of Object.keys(raw)) {
      if (!known.has(key))
        issues.add(i, key, raw[key], `no such field (expected one of ${[...known].join(', ')})`);
    }
    checkId(issues, i, 'eventId', raw.eventId);
    const timeMs = parseTimestamp(raw.timestamp);
    if (timeMs === undefined) issues.add(i, 'timestamp', raw.timestamp, timestampExpected);
    checkId(issues, i, 'version', raw.version);
    const values: Record<string, FeatureValue> = {};
    if (!isRecord(raw.features)) issues.add(i, 'features', raw.features, 'an object of feature name → value');
    else {
      const given = raw.features;
      for (const name in given) {
        const value = given[name];
        const type = features.get(name);
        if (type === undefined) {
          issues.add(
            i,
            `features.${name}`,
            value,
            `a feature of model ${model.id} (unknown feature ${name})`,
          );
        } else if (value === null) values[name] = null;
        else if (
          type === 'numeric'
            ? typeof value === 'number' && Number.isFinite(value)
            : typeof value === kindOf[type]
        ) {
          values[name] = value as FeatureValue;
        } else issues.add(i, `features.${name}`, value, featureExpected[type]);
      }
      for (const name of features.keys()) if (!(name in values)) values[name] = null;
    }
    const prediction = raw.prediction;
    const predicted =
      typeof prediction === 'string' || typeof prediction === 'number' || typeof prediction === 'boolean'
        ? String(prediction)
        : undefined;
    if (predicted === undefined || !classes.includes(predicted)) {
      issues.add(
        i,
        'prediction',
        prediction,
        `one of the classes ${classes.map((c) => `"${c}"`).join(', ')}`,
      );
    }
    const { score, scores } = checkScore(issues, i, model, raw[scoreField]);
    const latency = raw.latencyMs;
    if (typeof latency !== 'number' || !Number.isFinite(latency) || latency < 0) {
      issues.add(i, 'latencyMs', latency, 'a finite number of milliseconds ≥ 0');
    }
    const stages = checkNumberMap(issues, i, 'stages', raw.stages);
    const tags = checkTags(issues, i, raw.tags);
    if (issues.items.length + issues.dropped === before) {
      records.push({
        eventId: raw.eventId as string,
        timeMs: timeMs as number,
        version: raw.version as string,
        features: values,
        prediction: predicted as string,
        score: score as number,
        scores,
        latencyMs: latency as number,
        stages,
        tags,
      });
    }
  });
  return issues.result(records);
}

function checkScore(
  issues: IssueList,
  i: number,
  model: Model,
  value: unknown,
): { score?: number; scores: Record<string, number> | null } {
  const field = model.schema.scoreField;
  if (typeof value === 'number') {
    if (inUnit(value)) return { score: value, scores: null };
    issues.add(i, field, value, 'a probability in [0, 1]');
    return { scores: null };
  }
  if (!isRecord(value)) {
    issues.add(i, field, value, 'a probability in [0, 1] or a class → probability map');
    return { scores: null };
  }
  const classes = model.schema.label.classes;
  let sum = 0;
  let ok = true;
  for (const [cls, p] of Object.entries(value)) {
    if (!classes.includes(cls)) {
      issues.add(i, `${field}.${cls}`, p, `a class among ${classes.join(', ')}`);
      ok = false;
    } else if (!inUnit(p)) {
      issues.add(i, `${field}.${cls}`, p, 'a probability in [0, 1]');
      ok = false;
    } else sum += p;
  }
  const positive = value[model.schema.positiveClass];
  if (ok && !inUnit(positive)) {
    issues.add(
      i,
      `${field}.${model.schema.positiveClass}`,
      positive,
      'the probability of the positive class',
    );
    ok = false;
  }
  if (ok && Object.keys(value).length === classes.length && Math.abs(sum - 1) > 1e-6) {
    issues.add(i, field, value, 'class probabilities that sum to 1 (±1e-6)');
    ok = false;
  }
  return ok ? { score: positive as number, scores: value as Record<string, number> } : { scores: null };
}

function checkNumberMap(
  issues: IssueList,
  i: number,
  field: string,
  value: unknown,
): Record<string, number> | null {
  if (value === undefined) return null;
  if (!isRecord(value)) {
    issues.add(i, field, value, 'an object of stage name → milliseconds');
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      issues.add(i, `${field}.${k}`, v, 'milliseconds ≥ 0');
  }
  return value as Record<string, number>;
}

function checkTags(issues: IssueList, i: number, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    issues.add(i, 'tags', value, 'an object of string → string');
    return {};
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.length === 0 || k.length > limits.maxIdLength) {
      issues.add(i, 'tags', k, `tag names of 1 to ${limits.maxIdLength} characters`);
    } else if (typeof v !== 'string' || v.length > limits.maxTagValueLength) {
      issues.add(i, `tags.${k}`, v, `a string of at most ${limits.maxTagValueLength} characters`);
    }
  }
  return value as Record<string, string>;
}

/** Validates a batch of label events against `model`; every problem is listed. */
export function validateLabels(model: Model, events: unknown[]): Validated<LabelRecord> {
  const issues = new IssueList();
  if (!checkBatch(issues, events)) return issues.result([]);
  const classes = model.schema.label.classes;
  const records: LabelRecord[] = [];
  events.forEach((raw, i) => {
    const before = issues.items.length + issues.dropped;
    if (!isRecord(raw)) {
      issues.add(i, '', raw, 'a label event object');
      return;
    }
    for (const key of Object.keys(raw)) {
      if (key !== 'eventId' && key !== 'label' && key !== 'timestamp') {
        issues.add(i, key, raw[key], 'no such field (expected eventId, label, timestamp)');
      }
    }
    checkId(issues, i, 'eventId', raw.eventId);
    const label = raw.label;
    const text =
      typeof label === 'string' || typeof label === 'number' || typeof label === 'boolean'
        ? String(label)
        : undefined;
    if (text === undefined || !classes.includes(text)) {
      issues.add(i, 'label', label, `one of the classes ${classes.map((c) => `"${c}"`).join(', ')}`);
    }
    const timeMs = parseTimestamp(raw.timestamp);
    if (timeMs === undefined) issues.add(i, 'timestamp', raw.timestamp, timestampExpected);
    if (issues.items.length + issues.dropped === before) {
      records.push({ eventId: raw.eventId as string, label: text as string, timeMs: timeMs as number });
    }
  });
  return issues.result(records);
}

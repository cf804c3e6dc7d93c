/**
 * `GET /v1/models/:model/features/:feature/distribution?from&to[&bins]`: the reference's and a time
 * range's distribution of one feature on the same bins, for the dashboard's overlay. Both sides are
 * read columnar from the store; the reference's column is profiled once per snapshot and feature, as
 * the monitor's drift tests profile it (src/drift/prepare.ts).
 *
 * Bins: a numeric feature gets `bins` equal-width bins over the reference's [0.5 %, 99.5 %] quantiles
 * (type 7, as NumPy), values outside falling into the end bins; an integer-valued feature spanning at
 * most 48 values gets one bin per value. A categorical feature gets its `bins` most frequent
 * categories (by the larger of the two shares) and `(other)`. Shares are of the non-missing values;
 * missing values are counted apart.
 *
 * Without `from` and `to` the range is the day of the feature's last day-level drift point, so a page
 * can ask for it together with the drift series instead of after it; the answer's `window` names it.
 */
import type { FastifyInstance } from 'fastify';
import { type PreparedReference, prepareReference } from '../../drift/prepare.js';
import { errors, type Issue } from '../../errors.js';
import type { DictionaryColumn, Model, NumericColumn, Snapshot, Store } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { parseTime } from './metrics.js';
import { modelParams } from './models.js';

/** One bin of both distributions: `lo`/`hi` bound a numeric bin ([lo, hi), the last closed). */
export interface DistributionBin {
  label: string;
  lo?: number;
  hi?: number;
  /** Share of the reference's non-missing values. */
  reference: number;
  /** Share of the current range's non-missing values. */
  current: number;
}

/** The two distributions on shared bins, with the counts behind them. */
export interface FeatureDistribution {
  type: 'numeric' | 'categorical';
  reference: { n: number; missing: number };
  current: { n: number; missing: number };
  bins: DistributionBin[];
}

/** Options of {@link distributionBins}. */
export interface DistributionOptions {
  /** Equal-width bins of a numeric feature, or categories shown before `(other)`. Default 20. */
  bins?: number;
}

const defaults: Required<DistributionOptions> = { bins: 20 };

/** Quantile of ascending values, type 7 (linear interpolation, as numpy.quantile's default). */
function quantileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Bin edges of a numeric reference: one per integer value (≤ 48 of them), else equal width. */
function numericEdges(sorted: Float64Array, bins: number): number[] {
  const lo = quantileSorted(sorted, 0.005);
  const hi = quantileSorted(sorted, 0.995);
  if (!(hi > lo)) return [lo, lo + 1];
  const [a, b] = [Math.floor(lo), Math.ceil(hi)];
  if (b - a <= 48 && sorted.every(Number.isInteger))
    return Array.from({ length: b - a + 2 }, (_, i) => a + i);
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
}

/** Index of the bin of `x` among `edges` (end bins take the values beyond them). */
function binOf(edges: number[], x: number): number {
  let a = 0;
  let b = edges.length - 2;
  while (a < b) {
    const m = (a + b + 1) >> 1;
    if (x >= edges[m]) a = m;
    else b = m - 1;
  }
  return a;
}

const share = (count: number, n: number) => (n > 0 ? count / n : 0);

/** The reference and current distributions of one feature on shared bins. O(n log bins). */
export function distributionBins(
  reference: PreparedReference,
  current: NumericColumn | DictionaryColumn,
  options: DistributionOptions = {},
): FeatureDistribution {
  const o = { bins: options.bins ?? defaults.bins };
  if (!Number.isInteger(o.bins) || o.bins < 1)
    throw new RangeError(`invalid bins: ${o.bins} (expected a positive integer)`);
  if (reference.type === 'numeric') {
    if (current.kind !== 'numeric') throw new TypeError('invalid current column: expected numeric values');
    const edges = reference.n > 0 ? numericEdges(reference.sorted, o.bins) : [0, 1];
    const count = (values: ArrayLike<number>) => {
      const c = new Float64Array(edges.length - 1);
      let n = 0;
      for (let i = 0; i < values.length; i++) {
        const x = values[i];
        if (!Number.isFinite(x)) continue;
        c[binOf(edges, x)]++;
        n++;
      }
      return { c, n };
    };
    const ref = count(reference.sorted);
    const cur = count(current.values);
    const integerBins = edges.length > 2 && edges.every((e, i) => i === 0 || e - edges[i - 1] === 1);
    return {
      type: 'numeric',
      reference: { n: reference.n, missing: reference.missing },
      current: { n: cur.n, missing: current.values.length - cur.n },
      bins: ref.c.length
        ? Array.from(ref.c, (rc, i) => ({
            label: integerBins
              ? String(edges[i])
              : `${edges[i].toPrecision(4)}–${edges[i + 1].toPrecision(4)}`,
            lo: edges[i],
            hi: edges[i + 1],
            reference: share(rc, ref.n),
            current: share(cur.c[i], cur.n),
          }))
        : [],
    };
  }
  if (current.kind !== 'dictionary') throw new TypeError('invalid current column: expected categories');
  const curCounts = new Float64Array(current.dictionary.length);
  let curN = 0;
  for (const code of current.codes)
    if (code >= 0) {
      curCounts[code]++;
      curN++;
    }
  const shares = new Map<string, { reference: number; current: number }>();
  for (const [k, v] of reference.counts) shares.set(k, { reference: share(v, reference.n), current: 0 });
  current.dictionary.forEach((k, i) => {
    if (curCounts[i] === 0) return;
    const s = shares.get(k) ?? { reference: 0, current: 0 };
    s.current = share(curCounts[i], curN);
    shares.set(k, s);
  });
  const ranked = [...shares].sort(
    (a, b) =>
      Math.max(b[1].reference, b[1].current) - Math.max(a[1].reference, a[1].current) ||
      (a[0] < b[0] ? -1 : 1),
  );
  const bins: DistributionBin[] = ranked.slice(0, o.bins).map(([label, s]) => ({ label, ...s }));
  const rest = ranked.slice(o.bins);
  if (rest.length > 0)
    bins.push({
      label: '(other)',
      reference: rest.reduce((t, [, s]) => t + s.reference, 0),
      current: rest.reduce((t, [, s]) => t + s.current, 0),
    });
  return {
    type: 'categorical',
    reference: { n: reference.n, missing: reference.missing },
    current: { n: curN, missing: current.codes.length - curN },
    bins,
  };
}

/** Prepared reference columns by snapshot and feature (at most 64, oldest dropped first). */
const prepared = new Map<string, PreparedReference>();

/**
 * One feature of the reference, profiled once (cached): a snapshot of stored events is read back
 * columnar (one column), a file snapshot row by row.
 */
async function referenceColumn(store: Store, model: Model, snapshot: Snapshot, feature: string) {
  const key = `${snapshot.id}\u0000${feature}`;
  const hit = prepared.get(key);
  if (hit) return hit;
  let column: Parameters<typeof prepareReference>[0];
  if (snapshot.source.kind === 'events') {
    const c = (
      await store.queryEventColumns(model.id, snapshot.source, { features: [feature], withLabels: false })
    ).features[feature];
    column =
      c.kind === 'numeric'
        ? { type: 'numeric', values: c.values }
        : { type: 'categorical', values: Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k])) };
  } else {
    const values = (await store.querySnapshotRows(snapshot.id)).map((r) => r[feature] ?? null);
    column =
      model.schema.features.find((f) => f.name === feature)?.type === 'numeric'
        ? { type: 'numeric', values: values.map((v) => (v === null ? Number.NaN : Number(v))) }
        : { type: 'categorical', values: values.map((v) => (v === null ? null : String(v))) };
  }
  const out = prepareReference(column);
  if (prepared.size >= 64) prepared.delete(prepared.keys().next().value as string);
  prepared.set(key, out);
  return out;
}

/**
 * Profiles every feature of each model's reference ahead of the first feature page (its first
 * distribution otherwise waits ~100 ms per feature for the reference column); returns how many.
 */
export async function warmReferenceColumns(store: Store): Promise<number> {
  let n = 0;
  for (const model of await store.queryModels()) {
    const snapshot = await store.getReference(model.id);
    if (!snapshot) continue;
    for (const f of model.schema.features) {
      await referenceColumn(store, model, snapshot, f.name);
      n++;
    }
  }
  return n;
}

const querySchema = {
  type: 'object',
  properties: {
    from: { type: 'string' },
    to: { type: 'string' },
    bins: { type: 'string', pattern: '^[1-9][0-9]?$' },
  },
  additionalProperties: false,
} as const;

/** A range of at most 31 days keeps the read to ~0.5 M rows of one column. */
const maxRangeMs = 31 * 86_400_000;

/** The day window of the feature's last day-level drift point, or null without one. */
async function lastDriftDay(
  store: Store,
  model: string,
  feature: string,
): Promise<{ fromMs: number; toMs: number } | null> {
  const [last] = await store.queryMetricPoints({
    model,
    metric: `drift.${feature}`,
    segment: 'all',
    version: '*',
    window: 'day',
    detail: false,
    last: 1,
  });
  return last ? { fromMs: last.window.startMs, toMs: last.window.startMs + 86_400_000 } : null;
}

/** Registers the feature distribution route on `app`. */
export function registerFeatureDistribution(app: FastifyInstance, ctx: Pick<AppContext, 'store' | 'ingest'>) {
  app.get<{
    Params: { model: string; feature: string };
    Querystring: { from?: string; to?: string; bins?: string };
  }>(
    '/v1/models/:model/features/:feature/distribution',
    {
      schema: {
        params: {
          type: 'object',
          required: [...modelParams.required, 'feature'],
          properties: {
            ...modelParams.properties,
            feature: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        querystring: querySchema,
      },
      config: {
        scope: 'read',
        openapi: { summary: "A feature's reference and current distributions on shared bins (dashboard)" },
      },
    },
    async (req) => {
      const model = await ctx.ingest.requireModel(req.params.model);
      const feature = req.params.feature;
      const issues: Issue[] = [];
      if (!model.schema.features.some((f) => f.name === feature))
        issues.push({
          field: 'feature',
          value: feature,
          expected: `one of ${model.schema.features.map((f) => f.name).join(', ')}`,
        });
      // without a range: the last day with a drift verdict of the feature (a page can ask at once)
      const range =
        req.query.from === undefined && req.query.to === undefined
          ? await lastDriftDay(ctx.store, model.id, feature)
          : undefined;
      const fromMs = range?.fromMs ?? parseTime(req.query.from) ?? Number.NaN;
      const toMs = range?.toMs ?? parseTime(req.query.to) ?? Number.NaN;
      if (!Number.isFinite(fromMs))
        issues.push({
          field: 'from',
          value: req.query.from,
          expected:
            range === null
              ? 'a time (the feature has no drift point to default to)'
              : 'an ISO 8601 time or epoch milliseconds (with to; both absent: the last drift day)',
        });
      if (!Number.isFinite(toMs))
        issues.push({ field: 'to', value: req.query.to, expected: 'an ISO 8601 time or epoch milliseconds' });
      else if (toMs <= fromMs || toMs - fromMs > maxRangeMs)
        issues.push({
          field: 'to',
          value: req.query.to,
          expected: 'a time after from, at most 31 days later',
        });
      if (issues.length > 0) throw errors.invalidInput('invalid distribution query', issues);
      const snapshot = await ctx.store.getReference(model.id);
      if (!snapshot)
        throw errors.notFound(`no reference for ${model.id}`, [
          {
            field: 'model',
            value: model.id,
            expected: 'a model with a reference snapshot (POST …/reference)',
          },
        ]);
      const ref = await referenceColumn(ctx.store, model, snapshot, feature);
      const columns = await ctx.store.queryEventColumns(
        model.id,
        { fromMs, toMs },
        { features: [feature], withLabels: false },
      );
      const dist = distributionBins(ref, columns.features[feature], {
        bins: req.query.bins === undefined ? undefined : Number(req.query.bins),
      });
      return { model: model.id, feature, window: { fromMs, toMs }, referenceId: snapshot.id, ...dist };
    },
  );
}

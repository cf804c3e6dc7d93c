/**
 * An in-memory copy of one model's metric points, series by series, that answers
 * `queryMetricPoints` and `queryMetricCatalog` exactly as the store's SQL does (same filters, same
 * order, the same null and detail conventions), in microseconds instead of a table scan.
 *
 * A store that keeps one mirrors each committed write into it (`upsert` for `insertMetricPoints`,
 * `replaceRange` for `replaceMetricPoints`); both are idempotent, so a write applied again over a
 * snapshot that already holds it changes nothing. No I/O, no clock.
 *
 * A write batch is expected to hold each key once (the monitor's do): SQL would keep both rows of a
 * key written twice in one batch, this copy the last.
 *
 * Memory: the demo's 273 k points take +62 MB of JS heap; `detail` stays JSON text until a query
 * keeps it.
 */
import type { MetricCatalog, MetricPoint, MetricPointQuery, TimeRange, WindowSize } from './store.js';

/** One stored point; its series holds the model, metric, segment, version and window size. */
export interface IndexedPoint {
  startMs: number;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  n: number;
  status: MetricPoint['status'];
  estimated: boolean;
  baseline: number | null;
  significant: boolean | null;
  /** The detail as stored (JSON text), or null. */
  detail: string | null;
}

/** The identity of a series: a metric of a segment and version at one window size. */
export interface SeriesKey {
  metric: string;
  segment: string;
  version: string;
  size: WindowSize;
}

interface Series extends SeriesKey {
  /** Sorted by `startMs`, one point per start. */
  points: IndexedPoint[];
}

const finiteOrNull = (v: number | null | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : v;

/** A point as the store keeps it: non-finite numbers as null, detail as JSON text. */
export function toIndexed(p: MetricPoint): IndexedPoint {
  return {
    startMs: p.window.startMs,
    value: finiteOrNull(p.value),
    ciLow: finiteOrNull(p.ciLow),
    ciHigh: finiteOrNull(p.ciHigh),
    n: p.n,
    status: p.status,
    estimated: p.estimated,
    baseline: finiteOrNull(p.baseline),
    significant: p.significant ?? null,
    detail: p.detail === undefined ? null : JSON.stringify(p.detail),
  };
}

/** A stored point as the store answers it (`detail` parsed, only when `withDetail`). */
export function fromIndexed(model: string, s: SeriesKey, p: IndexedPoint, withDetail: boolean): MetricPoint {
  const point: MetricPoint = {
    model,
    version: s.version,
    window: { size: s.size, startMs: p.startMs },
    segment: s.segment,
    metric: s.metric,
    value: p.value,
    ciLow: p.ciLow,
    ciHigh: p.ciHigh,
    n: p.n,
    status: p.status,
    estimated: p.estimated,
  };
  if (p.baseline !== null) point.baseline = p.baseline;
  if (p.significant !== null) point.significant = p.significant;
  if (withDetail && p.detail !== null) point.detail = JSON.parse(p.detail) as Record<string, unknown>;
  return point;
}

const surrogate = /[\uD800-\uDFFF]/;

/** Compares as the store's VARCHAR order (UTF-8 bytes, i.e. code points). */
export function compareText(a: string, b: string): number {
  if (!surrogate.test(a) && !surrogate.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = [...a].map((c) => c.codePointAt(0) ?? 0);
  const y = [...b].map((c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

const compareSeries = (a: SeriesKey, b: SeriesKey) =>
  compareText(a.metric, b.metric) ||
  compareText(a.segment, b.segment) ||
  compareText(a.version, b.version) ||
  compareText(a.size, b.size);

/** First index of `points` whose start is ≥ `startMs` (binary search). */
function lowerBound(points: IndexedPoint[], startMs: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid].startMs < startMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One model's metric points in memory; see the module comment. */
export class MetricPointIndex {
  private readonly series = new Map<string, Series>();

  constructor(readonly model: string) {}

  /** Number of points held. */
  get size(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.points.length;
    return n;
  }

  private seriesOf(k: SeriesKey): Series {
    const key = `${k.metric}\u0000${k.segment}\u0000${k.version}\u0000${k.size}`;
    let s = this.series.get(key);
    if (!s) {
      s = { metric: k.metric, segment: k.segment, version: k.version, size: k.size, points: [] };
      this.series.set(key, s);
    }
    return s;
  }

  /** Adds or replaces one point of a series (by window start). */
  put(k: SeriesKey, p: IndexedPoint): void {
    const points = this.seriesOf(k).points;
    const last = points.at(-1);
    if (!last || last.startMs < p.startMs) {
      points.push(p);
      return;
    }
    const i = lowerBound(points, p.startMs);
    if (points[i]?.startMs === p.startMs) points[i] = p;
    else points.splice(i, 0, p);
  }

  /** Upserts points by key, as the store's `insertMetricPoints` (other models' points are ignored). */
  upsert(points: MetricPoint[]): void {
    for (const p of points)
      if (p.model === this.model)
        this.put(
          { metric: p.metric, segment: p.segment, version: p.version, size: p.window.size },
          toIndexed(p),
        );
  }

  /** Drops the points whose window starts in the range, then upserts `points` (`replaceMetricPoints`). */
  replaceRange(range: TimeRange, points: MetricPoint[]): void {
    for (const [key, s] of this.series) {
      const lo = lowerBound(s.points, range.fromMs);
      const hi = lowerBound(s.points, range.toMs);
      if (hi > lo) s.points.splice(lo, hi - lo);
      if (s.points.length === 0) this.series.delete(key);
    }
    this.upsert(points);
  }

  /** The points matching the query, ordered by metric, segment, version, window size and start. */
  query(q: MetricPointQuery): MetricPoint[] {
    if (q.model !== this.model) return [];
    if (q.last !== undefined && (!Number.isInteger(q.last) || q.last < 1))
      throw new RangeError(`invalid last: ${q.last} (expected a positive integer)`);
    const names = q.metrics === undefined ? undefined : new Set(q.metrics);
    const prefixes = q.metricPrefixes ?? [];
    const listed = names !== undefined || q.metricPrefixes !== undefined;
    const metricOk = (m: string) =>
      (q.metric === undefined || m === q.metric) &&
      (!listed || names?.has(m) === true || prefixes.some((x) => m.startsWith(x)));
    const keep = q.detail ?? true;
    const keepDetail = (m: string) =>
      keep === true ? true : keep === false ? false : keep.some((x) => m.startsWith(x));
    const chosen = [...this.series.values()]
      .filter(
        (s) =>
          (q.segment === undefined || s.segment === q.segment) &&
          (q.window === undefined || s.size === q.window) &&
          (q.version === undefined || s.version === q.version) &&
          metricOk(s.metric),
      )
      .sort(compareSeries);
    const out: MetricPoint[] = [];
    for (const s of chosen) {
      let lo = q.fromMs === undefined ? 0 : lowerBound(s.points, q.fromMs);
      const hi = q.toMs === undefined ? s.points.length : lowerBound(s.points, q.toMs);
      if (q.last !== undefined) lo = Math.max(lo, hi - q.last);
      const withDetail = keepDetail(s.metric);
      for (let i = lo; i < hi; i++) out.push(fromIndexed(this.model, s, s.points[i], withDetail));
    }
    return out;
  }

  /** The metrics (with window sizes), segments, versions and span held, as `queryMetricCatalog`. */
  catalog(): MetricCatalog {
    const metrics = new Map<string, { windows: Set<WindowSize>; estimated: boolean; points: number }>();
    const segments = new Set<string>();
    const versions = new Set<string>();
    let fromMs = Number.POSITIVE_INFINITY;
    let toMs = Number.NEGATIVE_INFINITY;
    for (const s of this.series.values()) {
      if (s.points.length === 0) continue;
      let m = metrics.get(s.metric);
      if (!m) {
        m = { windows: new Set(), estimated: false, points: 0 };
        metrics.set(s.metric, m);
      }
      m.windows.add(s.size);
      m.points += s.points.length;
      m.estimated ||= s.points.some((p) => p.estimated);
      segments.add(s.segment);
      versions.add(s.version);
      fromMs = Math.min(fromMs, s.points[0].startMs);
      toMs = Math.max(toMs, s.points[s.points.length - 1].startMs);
    }
    const sorted = (xs: Iterable<string>) => [...xs].sort(compareText);
    return {
      metrics: sorted(metrics.keys()).map((metric) => {
        const m = metrics.get(metric) as { windows: Set<WindowSize>; estimated: boolean; points: number };
        return {
          metric,
          windows: sorted(m.windows) as WindowSize[],
          estimated: m.estimated,
          points: m.points,
        };
      }),
      segments: sorted(segments),
      versions: sorted(versions),
      fromMs: Number.isFinite(fromMs) ? fromMs : null,
      toMs: Number.isFinite(toMs) ? toMs : null,
    };
  }
}

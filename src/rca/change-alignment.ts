/**
 * Change alignment: when did the metric change, and which tag values (versions, pipelines, hosts,
 * regions) line up with it. The per-row metric (0/1 errors, or latency) of both windows is bucketed
 * in time and `detectChangePoint` dates its change; each tag value's traffic share gets the same
 * treatment, and a share change within `alignBuckets` buckets of the metric's change is aligned.
 * Each value is also compared within vs outside in the current window (one-sided: worse inside):
 * pooled two-proportion z-test for 0/1 metrics, Welch z-test of means otherwise (large-sample
 * normal approximation). A value that carries all current traffic is compared with the baseline,
 * when it is new (at most `newShare` of the baseline's traffic): one that carried most of it before
 * (a pipeline every event goes through) explains nothing by being everywhere now.
 * explained = share_now · (metric inside − metric outside) / (metric now − metric baseline).
 */
import { type ChangePointOptions, detectChangePoint } from '../stats/change/change-point.js';
import { normalSf } from '../stats/distributions.js';
import { twoProportionZTest } from '../stats/two-proportion.js';

/** One window: time, the per-row metric (NaN skipped) and the grouping columns (tag key → value per row). */
export interface AlignmentWindow {
  timeMs: ArrayLike<number>;
  metric: ArrayLike<number>;
  groups: Readonly<Record<string, ArrayLike<string | null>>>;
}

/** Options of `alignChanges`. */
export interface AlignmentOptions {
  /** Time buckets over both windows. Default 48. */
  buckets?: number;
  /** True when the metric is 0/1 (errors); false for a continuous one (latency). Default true. */
  binary?: boolean;
  /** Fewest current rows of a tag value to test it (a canary in a night hour holds a few dozen). Default 20. */
  minRows?: number;
  /** A share change within this many buckets of the metric change is aligned. Default 2. */
  alignBuckets?: number;
  /** Largest baseline share of a value that carries all current traffic for it to be compared with the baseline. Default 0.5. */
  newShare?: number;
  /** Options of the change-point detector. */
  changePoint?: ChangePointOptions;
}

const defaults = { buckets: 48, binary: true, minRows: 20, alignBuckets: 2, newShare: 0.5 };

/** A dated change of a series. */
export interface DatedChange {
  changed: boolean;
  timeMs: number;
  before: number;
  after: number;
  statistic: number;
}

/** One tag value's evidence. */
export interface AlignedSuspect {
  key: string;
  value: string;
  share: { baseline: number; current: number };
  /** Metric inside the value (current), outside it (current, or the baseline when nothing is outside), and inside it in the baseline. */
  inside: number;
  outside: number;
  baselineInside: number | null;
  test: { name: 'two-proportion' | 'welch'; statistic: number; pValue: number };
  explained: number | null;
  /** The change point of its traffic share, and whether it lines up with the metric's. */
  shareChange: (DatedChange & { aligned: boolean }) | null;
}

/** Result of `alignChanges`. */
export interface AlignmentResult {
  overall: { baseline: number; current: number };
  series: { timeMs: number[]; value: number[] };
  change: DatedChange | null;
  /** Tag values by decreasing `explained`. */
  suspects: AlignedSuspect[];
}

interface Stats {
  n: number;
  sum: number;
  sq: number;
}
const add = (s: Stats, v: number): void => {
  s.n++;
  s.sum += v;
  s.sq += v * v;
};
const mean = (s: Stats): number => (s.n > 0 ? s.sum / s.n : Number.NaN);
const variance = (s: Stats): number => (s.n > 1 ? (s.sq - (s.sum * s.sum) / s.n) / (s.n - 1) : 0);

function compare(a: Stats, b: Stats, binary: boolean): AlignedSuspect['test'] {
  if (binary) {
    const t = twoProportionZTest(a.sum, a.n, b.sum, b.n, { alternative: 'greater' });
    return { name: 'two-proportion', ...(t.status === 'ok' ? t : { statistic: 0, pValue: 1 }) };
  }
  const se = Math.sqrt(variance(a) / a.n + variance(b) / b.n);
  const z = se > 0 ? (mean(a) - mean(b)) / se : 0;
  return { name: 'welch', statistic: z, pValue: normalSf(z) };
}

function dateChange(series: number[], times: number[], options?: ChangePointOptions): DatedChange | null {
  const cp = detectChangePoint(series, { minSegment: 3, ...options });
  if (cp.status !== 'ok') return null;
  return {
    changed: cp.changed,
    timeMs: times[cp.index],
    before: cp.meanBefore,
    after: cp.meanAfter,
    statistic: cp.statistic,
  };
}

/** Dates the metric's change and scores each tag value against it (see the module comment). */
export function alignChanges(
  windows: { baseline: AlignmentWindow; current: AlignmentWindow },
  options: AlignmentOptions = {},
): AlignmentResult {
  const o = { ...defaults, ...options };
  if (!(Number.isInteger(o.buckets) && o.buckets >= 4))
    throw new RangeError(`invalid buckets: ${o.buckets} (expected an integer >= 4)`);
  const { baseline, current } = windows;
  for (const [name, w] of Object.entries(windows)) {
    if (w.timeMs.length !== w.metric.length)
      throw new RangeError(`invalid ${name}.timeMs: ${w.timeMs.length} rows (expected ${w.metric.length})`);
  }
  let t0 = Number.POSITIVE_INFINITY;
  let t1 = Number.NEGATIVE_INFINITY;
  for (const w of [baseline, current])
    for (let r = 0; r < w.timeMs.length; r++) {
      t0 = Math.min(t0, w.timeMs[r]);
      t1 = Math.max(t1, w.timeMs[r]);
    }
  const width = t1 > t0 ? (t1 - t0) / o.buckets : 1;
  const bucketOf = (t: number): number => Math.min(o.buckets - 1, Math.floor((t - t0) / width));
  const bucketStats = Array.from({ length: o.buckets }, () => ({ n: 0, sum: 0, sq: 0 }));
  const totals = { baseline: { n: 0, sum: 0, sq: 0 }, current: { n: 0, sum: 0, sq: 0 } };
  for (const [name, w] of [
    ['baseline', baseline],
    ['current', current],
  ] as const) {
    for (let r = 0; r < w.metric.length; r++) {
      const v = w.metric[r];
      if (Number.isNaN(v)) continue;
      add(bucketStats[bucketOf(w.timeMs[r])], v);
      add(totals[name], v);
    }
  }
  const used = bucketStats.map((s, b) => (s.n > 0 ? b : -1)).filter((b) => b >= 0);
  const times = used.map((b) => t0 + b * width);
  const series = { timeMs: times, value: used.map((b) => mean(bucketStats[b])) };
  const change = dateChange(series.value, times, o.changePoint);
  const overall = { baseline: mean(totals.baseline), current: mean(totals.current) };
  const rise = overall.current - overall.baseline;

  const suspects: AlignedSuspect[] = [];
  const keys = new Set([...Object.keys(baseline.groups), ...Object.keys(current.groups)]);
  for (const key of keys) {
    const gc = current.groups[key];
    const gb = baseline.groups[key];
    if (gc === undefined) continue;
    const values = new Map<string, { cur: Stats; base: Stats; count: Int32Array }>();
    const entry = (v: string) => {
      let e = values.get(v);
      if (!e) {
        e = { cur: { n: 0, sum: 0, sq: 0 }, base: { n: 0, sum: 0, sq: 0 }, count: new Int32Array(o.buckets) };
        values.set(v, e);
      }
      return e;
    };
    const rows = new Int32Array(o.buckets);
    const scan = (w: AlignmentWindow, g: ArrayLike<string | null>, side: 'cur' | 'base') => {
      for (let r = 0; r < g.length; r++) {
        const b = bucketOf(w.timeMs[r]);
        rows[b]++;
        const v = g[r];
        if (v === null || v === undefined) continue;
        const e = entry(v);
        e.count[b]++;
        if (!Number.isNaN(w.metric[r])) add(e[side], w.metric[r]);
      }
    };
    scan(current, gc, 'cur');
    if (gb !== undefined) scan(baseline, gb, 'base');
    if (values.size < 2) continue;
    const nCur = gc.length;
    const nBase = gb?.length ?? 0;
    for (const [value, e] of values) {
      if (e.cur.n < o.minRows) continue;
      const outside: Stats = {
        n: totals.current.n - e.cur.n,
        sum: totals.current.sum - e.cur.sum,
        sq: totals.current.sq - e.cur.sq,
      };
      let inCur = 0;
      let inBase = 0;
      for (let r = 0; r < gc.length; r++) if (gc[r] === value) inCur++;
      if (gb) for (let r = 0; r < gb.length; r++) if (gb[r] === value) inBase++;
      const share = { baseline: nBase > 0 ? inBase / nBase : 0, current: nCur > 0 ? inCur / nCur : 0 };
      const reference = outside.n >= o.minRows ? outside : totals.baseline;
      if (reference.n === 0 || (reference === totals.baseline && share.baseline > o.newShare)) continue;
      const shareSeries = used.map((b) => (rows[b] > 0 ? e.count[b] / rows[b] : 0));
      const sc = dateChange(shareSeries, times, o.changePoint);
      const aligned =
        sc !== null &&
        change !== null &&
        sc.changed &&
        change.changed &&
        Math.abs(sc.timeMs - change.timeMs) <= o.alignBuckets * width;
      suspects.push({
        key,
        value,
        share,
        inside: mean(e.cur),
        outside: mean(reference),
        baselineInside: e.base.n > 0 ? mean(e.base) : null,
        test: compare(e.cur, reference, o.binary),
        explained: rise > 0 ? (share.current * (mean(e.cur) - mean(reference))) / rise : null,
        shareChange: sc === null ? null : { ...sc, aligned },
      });
    }
  }
  suspects.sort((a, b) => (b.explained ?? -1) - (a.explained ?? -1));
  return { overall, series, change, suspects };
}

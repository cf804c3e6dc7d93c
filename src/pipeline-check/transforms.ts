/**
 * Transformation detectors: which simple function turns a feature's "before" values into its
 * "after" values. Paired (rows matched by key): exact per-row relation fitting — the fit must
 * explain at least `coverage` of the rows (default 99.5 %) at relative tolerance `tolerance`.
 * Distributional (no key): quantile-ratio / quantile-difference constancy over the 5 %–95 %
 * quantiles (type 7, as NumPy's default), and category frequency matching by rank.
 *
 * Recognised: constant ratio (with common unit factors named: miles ↔ km, ×100, ×1000, …),
 * constant offset, affine (standardisation applied again or removed), log/exp, clipping,
 * bucketing, category remapping (permutation) or merging, and changed null fill values. Pure.
 */
import { quantileSorted, quantilesSorted, sortFloat64 } from '../stats/quantile.js';
import type { Finding } from './types.js';

/** A recognised relation after = f(before). */
export interface TransformFit {
  kind:
    | 'constant-ratio'
    | 'constant-offset'
    | 'affine'
    | 'log'
    | 'exp'
    | 'clipping'
    | 'bucketing'
    | 'category-remap'
    | 'category-merge'
    | 'null-fill';
  /** A sentence such as "after = before × 1.609344 (miles → km)". */
  description: string;
  parameters: Record<string, unknown>;
  /** Share of the compared rows (or quantiles) the relation explains. */
  coverage: number;
}

/** Options of the detectors. */
export interface TransformOptions {
  /** Share of rows a paired fit must explain. Default 0.995. */
  coverage?: number;
  /** Relative tolerance of a paired fit. Default 1e-6. */
  tolerance?: number;
  /** Relative spread allowed in distributional (quantile) fits. Default 0.02. */
  quantileTolerance?: number;
}

const defaults = { coverage: 0.995, tolerance: 1e-6, quantileTolerance: 0.02 };

/** Common factors, named, for constant ratios. */
const KNOWN_RATIOS: [number, string][] = [
  [1.609344, 'miles → km'],
  [1 / 1.609344, 'km → miles'],
  [100, '×100: share → percent, or metres → cm'],
  [0.01, '÷100: percent → share'],
  [1000, '×1000: e.g. seconds → ms, km → m'],
  [0.001, '÷1000: e.g. ms → seconds, m → km'],
  [60, '×60: e.g. minutes → seconds, hours → minutes'],
  [1 / 60, '÷60: e.g. seconds → minutes'],
  [3600, '×3600: hours → seconds'],
  [2.54, 'inches → cm'],
  [1 / 2.54, 'cm → inches'],
  [0.3048, 'feet → metres'],
  [1 / 0.3048, 'metres → feet'],
  [0.45359237, 'pounds → kg'],
  [1 / 0.45359237, 'kg → pounds'],
];

/** The name of a known factor within `tolerance` relative (default 1e-4), or undefined. */
export function nameRatio(r: number, tolerance = 1e-4): string | undefined {
  return KNOWN_RATIOS.find(([f]) => Math.abs(r / f - 1) < tolerance)?.[1];
}

const close = (a: number, b: number, tol: number) =>
  Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b), 1e-12);

const median = (values: number[]): number => quantileSorted(sortFloat64(values), 0.5);

/** Mean and standard deviation (ddof 0). O(n). */
export function moments(x: ArrayLike<number>): { mean: number; sd: number } {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  const mean = s / x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(v / x.length) };
}

/** Share of rows where `f(x) ≈ y`. */
function share(x: Float64Array, y: Float64Array, f: (v: number) => number, tol: number): number {
  let ok = 0;
  for (let i = 0; i < x.length; i++) if (close(f(x[i]), y[i], tol)) ok++;
  return x.length === 0 ? 0 : ok / x.length;
}

/** Up to 200 evenly spaced entries (to estimate parameters cheaply). */
function probe(x: Float64Array): number[] {
  const step = Math.max(1, Math.floor(x.length / 200));
  const out: number[] = [];
  for (let i = 0; i < x.length; i += step) out.push(i);
  return out;
}

/**
 * Fits after = f(before) row by row for a numeric feature; `x` and `y` hold the paired rows with
 * both values present and at least one row where they differ. Returns undefined when nothing fits.
 */
export function fitPairedNumeric(
  x: Float64Array,
  y: Float64Array,
  options: TransformOptions = {},
): TransformFit | undefined {
  const o = { ...defaults, ...options };
  const rows = probe(x);
  const fits = (f: (v: number) => number) => share(x, y, f, o.tolerance);
  const ratio = median(rows.filter((i) => x[i] !== 0).map((i) => y[i] / x[i]));
  if (Number.isFinite(ratio) && ratio !== 1) {
    const c = fits((v) => v * ratio);
    if (c >= o.coverage) {
      const known = nameRatio(ratio);
      return {
        kind: 'constant-ratio',
        description: `after = before × ${fmt(ratio)}${known ? ` (${known})` : ''}`,
        parameters: { ratio, unit: known ?? null },
        coverage: c,
      };
    }
  }
  const offset = median(rows.map((i) => y[i] - x[i]));
  if (offset !== 0) {
    const c = share(x, y, (v) => v + offset, o.tolerance);
    // an offset is judged on the scale of the values, not relative to each one
    const scale = moments(x).sd || 1;
    let ok = 0;
    for (let i = 0; i < x.length; i++) if (Math.abs(x[i] + offset - y[i]) <= o.tolerance * scale) ok++;
    const cov = Math.max(c, ok / x.length);
    if (cov >= o.coverage)
      return {
        kind: 'constant-offset',
        description: `after = before ${offset >= 0 ? '+' : '−'} ${fmt(Math.abs(offset))}`,
        parameters: { offset },
        coverage: cov,
      };
  }
  const affine = fitAffine(x, y, o);
  if (affine) return affine;
  for (const [name, f, kind] of [
    ['ln(before)', Math.log, 'log'],
    ['ln(1 + before)', Math.log1p, 'log'],
    ['log10(before)', Math.log10, 'log'],
    ['exp(before)', Math.exp, 'exp'],
    ['exp(before) − 1', Math.expm1, 'exp'],
  ] as const) {
    const c = fits(f);
    if (c >= o.coverage)
      return { kind, description: `after = ${name}`, parameters: { function: name }, coverage: c };
  }
  return fitClipping(x, y, o) ?? fitFunctional(x, y, o);
}

function fitAffine(x: Float64Array, y: Float64Array, o: typeof defaults): TransformFit | undefined {
  const mx = moments(x);
  const my = moments(y);
  if (!(mx.sd > 0)) return undefined;
  const { slope: a, intercept: b } = linearFit(x, y);
  let ok = 0;
  const tol = o.tolerance * 10 * (my.sd || 1);
  for (let i = 0; i < x.length; i++) if (Math.abs(a * x[i] + b - y[i]) <= tol) ok++;
  const c = ok / x.length;
  if (c < o.coverage || a === 0) return undefined;
  const center = -b / a;
  const scale = 1 / a;
  const standardised = Math.abs(mx.mean) < 0.05 && Math.abs(mx.sd - 1) < 0.05;
  let note = '';
  if (standardised)
    note =
      a < 1
        ? ' (standardised twice: before was already standardised and was scaled again)'
        : ' (standardisation removed: before was standardised, after is in raw units)';
  else if (Math.abs(center - mx.mean) <= 0.01 * mx.sd && Math.abs(scale / mx.sd - 1) <= 0.01)
    note = ' (standardisation applied: (before − mean) / std)';
  return {
    kind: 'affine',
    description: `after = ${fmt(a)} × before ${b >= 0 ? '+' : '−'} ${fmt(Math.abs(b))}${note}`,
    parameters: { slope: a, intercept: b, center, scale },
    coverage: c,
  };
}

function fitClipping(x: Float64Array, y: Float64Array, o: typeof defaults): TransformFit | undefined {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < y.length; i++) {
    if (y[i] < lo) lo = y[i];
    if (y[i] > hi) hi = y[i];
  }
  let ok = 0;
  let clipped = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.min(hi, Math.max(lo, x[i]));
    if (close(v, y[i], o.tolerance)) {
      ok++;
      if (v !== x[i]) clipped++;
    }
  }
  const c = ok / x.length;
  if (c < o.coverage || clipped === 0) return undefined;
  return {
    kind: 'clipping',
    description: `after = before clipped to [${fmt(lo)}, ${fmt(hi)}] (${clipped} rows clipped)`,
    parameters: { low: lo, high: hi, clipped },
    coverage: c,
  };
}

/** Most rows (≥ coverage) follow one mapping value → value; classifies the mapping. */
function fitFunctional(x: Float64Array, y: Float64Array, o: typeof defaults): TransformFit | undefined {
  const map = new Map<number, Map<number, number>>();
  for (let i = 0; i < x.length; i++) {
    let m = map.get(x[i]);
    if (!m) {
      if (map.size > 200_000) return undefined;
      m = new Map();
      map.set(x[i], m);
    }
    m.set(y[i], (m.get(y[i]) ?? 0) + 1);
  }
  const best = new Map<number, number>();
  let ok = 0;
  for (const [k, m] of map) {
    let top = Number.NaN;
    let count = -1;
    for (const [v, c] of m)
      if (c > count) {
        top = v;
        count = c;
      }
    best.set(k, top);
    ok += count;
  }
  const c = ok / x.length;
  if (c < o.coverage) return undefined;
  const targets = new Set(best.values()).size;
  // a mapping is evidence only when values repeat: distinct inputs (or outputs, for buckets) are few
  const repeated = map.size <= x.length / 20 || (targets < map.size && targets <= x.length / 20);
  if (!repeated) return undefined;
  return classifyMapping(
    [...best.entries()].sort((p, q) => p[0] - q[0]),
    c,
  );
}

/** Names a value → value mapping (keys sorted ascending for numbers). */
function classifyMapping<K extends number | string>(entries: [K, K][], coverage: number): TransformFit {
  const changed = entries.filter(([k, v]) => k !== v);
  const targets = new Set(entries.map(([, v]) => v));
  const example = changed.slice(0, 8).map(([k, v]) => `${k} → ${v}`);
  const parameters = {
    mapped: changed.length,
    distinctBefore: entries.length,
    distinctAfter: targets.size,
    examples: changed.slice(0, 20),
  };
  const sources = new Set(entries.map(([k]) => k));
  const fill =
    changed.length === 1 &&
    !entries.some(([k, v]) => k !== changed[0][0] && v === changed[0][1]) &&
    (typeof changed[0][0] === 'number' || changed[0][0] === '(missing)' || changed[0][1] === '(missing)');
  if (fill)
    return {
      kind: 'null-fill',
      description: `one value changed everywhere: ${example[0]} (a fill value or sentinel changed)`,
      parameters,
      coverage,
    };
  if (targets.size === entries.length)
    return {
      kind: 'category-remap',
      description:
        changed.every(([, v]) => !sources.has(v)) && typeof changed[0]?.[0] === 'string'
          ? `categories renamed: ${example.join(', ')}${changed.length > 8 ? ', …' : ''}`
          : `codes permuted: ${changed.length} of ${entries.length} values remapped one-to-one (${example.join(', ')}${changed.length > 8 ? ', …' : ''})`,
      parameters,
      coverage,
    };
  const monotone =
    typeof entries[0]?.[0] === 'number' &&
    entries.every((e, i) => i === 0 || (e[1] as number) >= (entries[i - 1][1] as number));
  return monotone
    ? {
        kind: 'bucketing',
        description: `values bucketed: ${entries.length} distinct values now fall into ${targets.size} buckets`,
        parameters,
        coverage,
      }
    : {
        kind: 'category-merge',
        description: `${entries.length} categories merged into ${targets.size} (${example.join(', ')}${changed.length > 8 ? ', …' : ''})`,
        parameters,
        coverage,
      };
}

/** Fits a category relation row by row (nulls as the label `(missing)`). */
export function fitPairedCategorical(
  x: readonly (string | null)[],
  y: readonly (string | null)[],
  options: TransformOptions = {},
): TransformFit | undefined {
  const o = { ...defaults, ...options };
  const label = (v: string | null) => v ?? '(missing)';
  const map = new Map<string, Map<string, number>>();
  for (let i = 0; i < x.length; i++) {
    const k = label(x[i]);
    let m = map.get(k);
    if (!m) {
      m = new Map();
      map.set(k, m);
    }
    const v = label(y[i]);
    m.set(v, (m.get(v) ?? 0) + 1);
  }
  const entries: [string, string][] = [];
  let ok = 0;
  for (const [k, m] of map) {
    const [top, count] = [...m.entries()].reduce((p, q) => (q[1] > p[1] ? q : p));
    entries.push([k, top]);
    ok += count;
  }
  const c = x.length === 0 ? 0 : ok / x.length;
  if (c < o.coverage) return undefined;
  const fit = classifyMapping(entries, c);
  const changed = entries.filter(([k, v]) => k !== v);
  if (changed.length > 0 && changed.every(([k, v]) => k === '(missing)' || v === '(missing)'))
    return {
      ...fit,
      kind: 'null-fill',
      description: `missing values now ${changed.map(([k, v]) => `${k} → ${v}`).join(', ')}`,
    };
  return fit;
}

const PS = Array.from({ length: 19 }, (_, i) => 0.05 * (i + 1));

/**
 * Distributional fit for a numeric feature without pairing: constancy of the quantile ratios
 * q_after(p) / q_before(p) or differences over p = 0.05, 0.10, …, 0.95, then an affine and a log fit
 * of the quantiles. `before`/`after` are the non-missing values (any order).
 */
export function fitQuantiles(
  before: Float64Array,
  after: Float64Array,
  options: TransformOptions = {},
): TransformFit | undefined {
  const o = { ...defaults, ...options };
  if (before.length < 50 || after.length < 50) return undefined;
  const sb = sortFloat64(before);
  const sa = sortFloat64(after);
  const qb = quantilesSorted(sb, PS);
  const qa = quantilesSorted(sa, PS);
  const iqr = qb[14] - qb[4];
  const span = qb[18] - qb[0];
  if (!(span > 0)) return undefined;
  const tol = o.quantileTolerance;
  const evidence = {
    quantiles: PS.map((p, i) => ({ p: Number(p.toFixed(2)), before: qb[i], after: qa[i] })),
  };
  // the point mass is the signature of clipping; the inside only has to agree roughly
  const shape = fitShape(sb, sa, qb, qa, 5 * tol * (iqr > 0 ? iqr : span));
  if (shape) return { ...shape, parameters: { ...shape.parameters, ...evidence } };
  const ratios = PS.flatMap((_, i) => (qb[i] !== 0 ? [qa[i] / qb[i]] : []));
  if (ratios.length >= 15) {
    const r = median(ratios);
    const spread = Math.max(...ratios.map((v) => Math.abs(v / r - 1)));
    if (spread <= tol && Math.abs(r - 1) > 2 * tol) {
      const known = nameRatio(r, tol);
      return {
        kind: 'constant-ratio',
        description: `quantiles scaled by ${fmt(r)}${known ? ` (${known}?)` : ''}`,
        parameters: { ratio: r, unit: known ?? null, spread, ...evidence },
        coverage: 1,
      };
    }
  }
  const diffs = PS.map((_, i) => qa[i] - qb[i]);
  const d = median(diffs);
  const scale = iqr > 0 ? iqr : span;
  const dSpread = Math.max(...diffs.map((v) => Math.abs(v - d)));
  if (dSpread <= tol * scale && Math.abs(d) > 5 * tol * scale)
    return {
      kind: 'constant-offset',
      description: `quantiles shifted by ${d >= 0 ? '+' : '−'}${fmt(Math.abs(d))}`,
      parameters: { offset: d, spread: dSpread, ...evidence },
      coverage: 1,
    };
  const lin = linearFit(qb, qa);
  const aSpan = qa[18] - qa[0];
  if (lin.maxResidual <= tol * aSpan && Math.abs(lin.slope - 1) > 2 * tol && aSpan > 0) {
    if (Math.abs(lin.intercept) <= tol * aSpan) {
      const known = nameRatio(lin.slope, tol);
      return {
        kind: 'constant-ratio',
        description: `quantiles scaled by ${fmt(lin.slope)}${known ? ` (${known}?)` : ''}`,
        parameters: { ratio: lin.slope, unit: known ?? null, intercept: lin.intercept, ...evidence },
        coverage: 1,
      };
    }
    return {
      kind: 'affine',
      description: `quantiles follow after = ${fmt(lin.slope)} × before ${lin.intercept >= 0 ? '+' : '−'} ${fmt(Math.abs(lin.intercept))}`,
      parameters: { slope: lin.slope, intercept: lin.intercept, ...evidence },
      coverage: 1,
    };
  }
  if (qb[0] > 0) {
    const lq = qb.map(Math.log);
    const logFit = linearFit(lq, qa);
    if (
      Math.abs(logFit.slope - 1) < tol &&
      Math.abs(logFit.intercept) < tol * aSpan &&
      logFit.maxResidual <= tol * aSpan
    )
      return {
        kind: 'log',
        description: 'quantiles follow after = ln(before)',
        parameters: evidence,
        coverage: 1,
      };
  }
  return undefined;
}

/** Distinct values of a sorted array. O(n). */
function countDistinctSorted(sorted: Float64Array): number {
  let d = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) d++;
  return d;
}

/** Share of a sorted array equal to `v` (binary search for both ends). */
function shareEqualSorted(sorted: Float64Array, v: number): number {
  const bound = (strict: boolean) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v || (strict && sorted[mid] === v)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return sorted.length === 0 ? 0 : (bound(true) - bound(false)) / sorted.length;
}

/**
 * Distributional clipping (a point mass of ≥ 1 % appears at the new minimum or maximum while the
 * quantiles inside the range agree within `allowed`) and bucketing (a feature with > 100 distinct
 * values now takes ≤ 50, ten times fewer).
 */
function fitShape(
  sb: Float64Array,
  sa: Float64Array,
  qb: number[],
  qa: number[],
  allowed: number,
): TransformFit | undefined {
  const lo = sa[0];
  const hi = sa[sa.length - 1];
  const atLo = shareEqualSorted(sa, lo);
  const atHi = shareEqualSorted(sa, hi);
  const massLo = atLo >= 0.01 && shareEqualSorted(sb, lo) < atLo / 5 && sb[0] < lo;
  const massHi = atHi >= 0.01 && shareEqualSorted(sb, hi) < atHi / 5 && sb[sb.length - 1] > hi;
  if (massLo || massHi) {
    const inside = qa.every((v, i) => v === lo || v === hi || Math.abs(v - qb[i]) <= allowed);
    if (inside)
      return {
        kind: 'clipping',
        description: `values look clipped to [${fmt(lo)}, ${fmt(hi)}] (${(100 * (massLo ? atLo : 0) + 100 * (massHi ? atHi : 0)).toFixed(1)}% of values now sit at a bound)`,
        parameters: { low: lo, high: hi, shareAtLow: atLo, shareAtHigh: atHi },
        coverage: 1,
      };
  }
  const db = countDistinctSorted(sb);
  const da = countDistinctSorted(sa);
  if (db > 100 && da <= 50 && da * 10 <= db)
    return {
      kind: 'bucketing',
      description: `values bucketed: ${db} distinct values before, ${da} after`,
      parameters: { distinctBefore: db, distinctAfter: da },
      coverage: 1,
    };
  return undefined;
}

/** Least-squares line y = slope · x + intercept and its largest absolute residual. O(n). */
function linearFit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { slope: number; intercept: number; maxResidual: number } {
  const { mean: mx } = moments(x);
  const { mean: my } = moments(y);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  let maxResidual = 0;
  for (let i = 0; i < x.length; i++)
    maxResidual = Math.max(maxResidual, Math.abs(slope * x[i] + intercept - y[i]));
  return { slope, intercept, maxResidual };
}

/**
 * Category frequency matching without pairing: when the label-matched frequencies differ (total
 * variation > 0.1) but the frequencies sorted by rank agree (total variation < 0.03, and under a
 * quarter of the label-matched one; the before profile at least 0.1 from uniform and 4× farther), the
 * categories were relabelled; the mapping pairs them by rank.
 */
export function fitCategoryFrequencies(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): TransformFit | undefined {
  const total = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((s, v) => s + v, 0);
  const nb = total(before);
  const na = total(after);
  if (nb < 50 || na < 50) return undefined;
  const labels = new Set([...before.keys(), ...after.keys()]);
  // with few rows per category, label-matched frequencies differ by sampling noise alone
  if (labels.size > Math.min(nb, na) / 30) return undefined;
  let tvLabel = 0;
  for (const l of labels) tvLabel += Math.abs((before.get(l) ?? 0) / nb - (after.get(l) ?? 0) / na);
  tvLabel /= 2;
  const rb = [...before.entries()].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1));
  const ra = [...after.entries()].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1));
  let tvRank = 0;
  for (let i = 0; i < Math.max(rb.length, ra.length); i++)
    tvRank += Math.abs((rb[i]?.[1] ?? 0) / nb - (ra[i]?.[1] ?? 0) / na);
  tvRank /= 2;
  // a relabelling is identifiable only when the frequencies differ from each other: near-uniform
  // categories (weekdays) match by rank whatever happened to them
  let tvUniform = 0;
  for (const [, c] of rb) tvUniform += Math.abs(c / nb - 1 / rb.length);
  tvUniform /= 2;
  const informative = tvUniform >= 0.1 && tvRank < tvUniform / 4;
  if (!(tvLabel > 0.1 && tvRank < 0.03 && tvRank < tvLabel / 4 && informative)) return undefined;
  const mapping = rb
    .slice(0, Math.min(rb.length, ra.length))
    .map(([k], i): [string, string] => [k, ra[i][0]]);
  const changed = mapping.filter(([k, v]) => k !== v);
  return {
    kind: 'category-remap',
    description: `category frequencies match by rank but not by label: ${changed.length} categories look relabelled (${changed
      .slice(0, 6)
      .map(([k, v]) => `${k} → ${v}`)
      .join(', ')}${changed.length > 6 ? ', …' : ''})`,
    parameters: {
      totalVariationByLabel: tvLabel,
      totalVariationByRank: tvRank,
      mapping: changed.slice(0, 20),
    },
    coverage: 1 - tvRank,
  };
}

/** Formats a parameter compactly (up to 7 significant digits). */
export function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(7)));
}

/** The transform-check finding when no relation was found to report. */
export function noTransformFinding(mode: 'paired' | 'distributional', message: string): Finding {
  return {
    check: 'transform',
    kind: 'none',
    feature: null,
    verdict: 'pass',
    severity: 'info',
    message,
    evidence: { mode },
  };
}

/** The transform-check finding for a fitted relation (a preprocessing bug). */
export function transformFinding(
  feature: string,
  fit: TransformFit,
  mode: 'paired' | 'distributional',
): Finding {
  return {
    check: 'transform',
    kind: fit.kind,
    feature,
    verdict: 'fail',
    severity: 'error',
    cause: 'preprocessing-bug',
    message: `${feature}: ${fit.description}`,
    evidence: { mode, coverage: fit.coverage, ...fit.parameters },
  };
}

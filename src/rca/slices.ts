/**
 * Slice discovery: the segments (conjunctions of up to `maxLevel` column = value conditions) where
 * the error rate rose most against a baseline window.
 *
 * 1. Every column is binned: categorical columns by value, numeric columns into `bins` bins cut at
 *    the baseline's quantiles (type 7, as NumPy); missing values belong to no bin (missingness is
 *    the data-quality analysis's business).
 * 2. Candidates are enumerated level by level (SliceLine, Sagadeeva & Boehm, SIGMOD 2021) on the
 *    current window's 0/1 errors, scored
 *      score(S) = α·(ē_S/ē − 1) − (1 − α)·(n/|S| − 1),
 *    with ē the overall error rate and n the rows; a slice is extended only when it has at least
 *    `minSupport` rows and its score upper bound (SliceLine's bound over sizes in
 *    [minSupport, |S|] with error sum ≤ e_S) can still enter the top `candidates`.
 * 3. Each candidate is compared with the same segment in the baseline: one-sided pooled
 *    two-proportion z-test (current rate > baseline rate), Benjamini–Hochberg across candidates;
 *    Wilson intervals; excess errors = |S|·(ē_S − ē_S,baseline) and the share of the overall
 *    excess (N·(ē − ē_baseline)) they explain. Results are sorted by excess errors.
 */
import { benjaminiHochberg } from '../stats/multiple-testing.js';
import { quantilesSorted, sortFloat64 } from '../stats/quantile.js';
import { twoProportionZTest } from '../stats/two-proportion.js';
import { wilsonInterval } from '../stats/wilson.js';

/** One column to slice on, both windows; missing values are NaN (numeric) or null (categorical). */
export type SliceColumn =
  | { name: string; type: 'numeric'; current: ArrayLike<number>; baseline: ArrayLike<number> }
  | {
      name: string;
      type: 'categorical';
      current: ArrayLike<string | null>;
      baseline: ArrayLike<string | null>;
    };

/** Input of `discoverSlices`: the columns and the 0/1 errors of each row (NaN = unlabelled, skipped). */
export interface SliceInput {
  columns: readonly SliceColumn[];
  errors: { current: ArrayLike<number>; baseline: ArrayLike<number> };
}

/** Options of `discoverSlices`. */
export interface SliceOptions {
  /** Most conditions per slice. Default 3. */
  maxLevel?: number;
  /** Quantile bins per numeric column. Default 4. */
  bins?: number;
  /** Fewest current rows in a slice (SliceLine's σ). Default max(30, 1 % of the rows). */
  minSupport?: number;
  /** Weight α of the error term in the SliceLine score. Default 0.95. */
  alpha?: number;
  /** Candidates kept from the enumeration (SliceLine's K). Default 50. */
  candidates?: number;
  /** False discovery rate of the baseline confirmation. Default 0.05. */
  fdr?: number;
  /** Confidence of the Wilson intervals. Default 0.95. */
  confidence?: number;
  /** Drop a slice when a confirmed refinement with a 10 % higher rate carries at least this share of its excess errors. Default 0.8. */
  subsume?: number;
}

const defaults = {
  maxLevel: 3,
  bins: 4,
  alpha: 0.95,
  candidates: 50,
  fdr: 0.05,
  confidence: 0.95,
  subsume: 0.8,
};

/** One condition: a column equals a category or falls in a numeric bin. */
export interface SliceCondition {
  column: string;
  /** The category, or the bin as `[low, high)`. */
  value: string;
  /** The numeric bin's bounds (open ends are ±Infinity). */
  range?: { low: number; high: number };
}

/** A rate with its interval. */
export interface RateFigures {
  n: number;
  errors: number;
  rate: number;
  interval: { low: number; high: number };
}

/** A discovered segment with its confirmation against the baseline. */
export interface Slice {
  conditions: SliceCondition[];
  /** SliceLine score on the current window. */
  score: number;
  current: RateFigures;
  baseline: RateFigures;
  /** One-sided two-proportion z-test of current > baseline. */
  test: { statistic: number; pValue: number; adjustedPValue: number };
  confirmed: boolean;
  /** |S|·(ē_S − ē_S,baseline). */
  excessErrors: number;
  /** excessErrors / (N·(ē − ē_baseline)); null when the overall rate did not rise. */
  shareExplained: number | null;
}

/** Result of `discoverSlices`. */
export interface SliceResult {
  status: 'ok';
  overall: { current: RateFigures; baseline: RateFigures };
  slices: Slice[];
  /** Slices enumerated (the multiple-testing family). */
  evaluated: number;
}

interface Encoded {
  name: string;
  labels: string[];
  ranges?: { low: number; high: number }[];
  current: Int32Array;
  baseline: Int32Array;
}

const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x));

/** Bins one column into codes (−1 = missing); numeric edges from the baseline quantiles. */
function encodeColumn(col: SliceColumn, bins: number): Encoded {
  if (col.type === 'numeric') {
    const present = Array.from(col.baseline).filter((v) => !Number.isNaN(v));
    const sorted = sortFloat64(
      present.length > 0 ? present : Array.from(col.current).filter((v) => !Number.isNaN(v)),
    );
    const ps = Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins);
    const inner = sorted.length === 0 ? [] : [...new Set(quantilesSorted(sorted, ps))];
    const edges = [Number.NEGATIVE_INFINITY, ...inner, Number.POSITIVE_INFINITY];
    const ranges = edges.slice(0, -1).map((low, i) => ({ low, high: edges[i + 1] }));
    const code = (values: ArrayLike<number>): Int32Array => {
      const out = new Int32Array(values.length);
      for (let r = 0; r < values.length; r++) {
        const v = values[r];
        if (Number.isNaN(v)) out[r] = -1;
        else {
          let b = 0;
          while (b < inner.length && v >= inner[b]) b++;
          out[r] = b;
        }
      }
      return out;
    };
    return {
      name: col.name,
      labels: ranges.map((b) => `[${fmt(b.low)}, ${fmt(b.high)})`),
      ranges,
      current: code(col.current),
      baseline: code(col.baseline),
    };
  }
  const index = new Map<string, number>();
  const code = (values: ArrayLike<string | null>, add: boolean): Int32Array => {
    const out = new Int32Array(values.length);
    for (let r = 0; r < values.length; r++) {
      const v = values[r];
      if (v === null || v === undefined) out[r] = -1;
      else {
        let c = index.get(v);
        if (c === undefined) {
          c = add ? index.size : -1;
          if (add) index.set(v, c);
        }
        out[r] = c;
      }
    }
    return out;
  };
  const current = code(col.current, true);
  const baseline = code(col.baseline, false);
  return { name: col.name, labels: [...index.keys()], current, baseline };
}

interface Candidate {
  conds: number[]; // indices into the condition list, increasing
  rows: Int32Array; // current rows (labelled) in the slice
  errors: number;
  score: number;
}

/** SliceLine score of a slice with `size` rows and `err` errors. */
function sliceScore(size: number, err: number, n: number, avg: number, alpha: number): number {
  return alpha * (err / size / avg - 1) - (1 - alpha) * (n / size - 1);
}

/** SliceLine's upper bound of the score of any sub-slice of a slice with `size` rows and `err` errors (max error 1). */
function scoreBound(
  size: number,
  err: number,
  minSupport: number,
  n: number,
  avg: number,
  alpha: number,
): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const s of [minSupport, Math.max(minSupport, Math.min(size, err)), size]) {
    if (s < minSupport || s > size) continue;
    best = Math.max(best, sliceScore(s, Math.min(err, s), n, avg, alpha));
  }
  return best;
}

function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else {
      out[k++] = a[i];
      i++;
      j++;
    }
  }
  return out.subarray(0, k);
}

function checkErrors(name: string, errors: ArrayLike<number>): void {
  for (let r = 0; r < errors.length; r++) {
    const e = errors[r];
    if (!(e === 0 || e === 1 || Number.isNaN(e)))
      throw new RangeError(`invalid errors.${name}[${r}]: ${e} (expected 0, 1 or NaN)`);
  }
}

function rateFigures(errors: number, n: number, confidence: number): RateFigures {
  const ci = wilsonInterval(errors, n, { confidence });
  return {
    n,
    errors,
    rate: n > 0 ? errors / n : Number.NaN,
    interval: 'status' in ci ? { low: Number.NaN, high: Number.NaN } : ci,
  };
}

/** Finds the segments whose error rate rose most against the baseline (see the module comment). */
export function discoverSlices(input: SliceInput, options: SliceOptions = {}): SliceResult {
  const o = { ...defaults, ...options };
  if (!(Number.isInteger(o.maxLevel) && o.maxLevel >= 1 && o.maxLevel <= 3))
    throw new RangeError(`invalid maxLevel: ${o.maxLevel} (expected 1, 2 or 3)`);
  if (!(Number.isInteger(o.bins) && o.bins >= 2))
    throw new RangeError(`invalid bins: ${o.bins} (expected an integer >= 2)`);
  if (!(o.alpha > 0 && o.alpha <= 1))
    throw new RangeError(`invalid alpha: ${o.alpha} (expected a number in (0, 1])`);
  const { current: errCur, baseline: errBase } = input.errors;
  checkErrors('current', errCur);
  checkErrors('baseline', errBase);
  for (const c of input.columns) {
    if (c.current.length !== errCur.length || c.baseline.length !== errBase.length)
      throw new RangeError(
        `invalid column ${c.name}: ${c.current.length}/${c.baseline.length} rows (expected ${errCur.length}/${errBase.length} like the errors)`,
      );
  }
  const labelled = (e: ArrayLike<number>): Int32Array => {
    const rows: number[] = [];
    for (let r = 0; r < e.length; r++) if (!Number.isNaN(e[r])) rows.push(r);
    return Int32Array.from(rows);
  };
  const rowsCur = labelled(errCur);
  const rowsBase = labelled(errBase);
  const sumOf = (rows: Int32Array, e: ArrayLike<number>): number => {
    let s = 0;
    for (let k = 0; k < rows.length; k++) s += e[rows[k]];
    return s;
  };
  const n = rowsCur.length;
  const totalErr = sumOf(rowsCur, errCur);
  const baseErr = sumOf(rowsBase, errBase);
  const overall = {
    current: rateFigures(totalErr, n, o.confidence),
    baseline: rateFigures(baseErr, rowsBase.length, o.confidence),
  };
  const minSupport = o.minSupport ?? Math.max(30, Math.ceil(0.01 * n));
  if (n === 0 || totalErr === 0) return { status: 'ok', overall, slices: [], evaluated: 0 };
  const avg = totalErr / n;

  // Level 1: one candidate per (column, code) with enough support.
  const encoded = input.columns.map((c) => encodeColumn(c, o.bins));
  const conds: { col: number; code: number }[] = [];
  let level: Candidate[] = [];
  encoded.forEach((enc, col) => {
    const byCode: number[][] = enc.labels.map(() => []);
    for (let k = 0; k < rowsCur.length; k++) {
      const c = enc.current[rowsCur[k]];
      if (c >= 0) byCode[c].push(rowsCur[k]);
    }
    byCode.forEach((rows, code) => {
      // A condition every row meets says nothing (a constant tag).
      if (rows.length < minSupport || rows.length === n) return;
      const r = Int32Array.from(rows);
      const err = sumOf(r, errCur);
      conds.push({ col, code });
      level.push({
        conds: [conds.length - 1],
        rows: r,
        errors: err,
        score: sliceScore(r.length, err, n, avg, o.alpha),
      });
    });
  });

  const top: Candidate[] = [];
  let evaluated = 0;
  const admit = (c: Candidate): void => {
    evaluated++;
    if (!(c.score > 0)) return;
    top.push(c);
    top.sort((a, b) => b.score - a.score);
    if (top.length > o.candidates) top.pop();
  };
  const threshold = (): number => (top.length < o.candidates ? 0 : top[top.length - 1].score);
  for (const c of level) admit(c);

  const level1 = level;
  for (let l = 2; l <= o.maxLevel; l++) {
    const bound = threshold();
    const parents = level.filter(
      (c) => scoreBound(c.rows.length, c.errors, minSupport, n, avg, o.alpha) > bound,
    );
    const singles = new Map<number, Candidate>();
    for (const c of level1)
      if (scoreBound(c.rows.length, c.errors, minSupport, n, avg, o.alpha) > bound)
        singles.set(c.conds[0], c);
    const next: Candidate[] = [];
    for (const p of parents) {
      const usedCols = new Set(p.conds.map((k) => conds[k].col));
      for (let k = p.conds[p.conds.length - 1] + 1; k < conds.length; k++) {
        const single = singles.get(k);
        if (single === undefined || usedCols.has(conds[k].col)) continue;
        const r = intersect(p.rows, single.rows);
        if (r.length < minSupport) continue;
        const err = sumOf(r, errCur);
        const c = {
          conds: [...p.conds, k],
          rows: r,
          errors: err,
          score: sliceScore(r.length, err, n, avg, o.alpha),
        };
        next.push(c);
        admit(c);
      }
    }
    level = next;
    if (level.length === 0) break;
  }

  // Confirmation against the baseline.
  const overallExcess = n * (overall.current.rate - (overall.baseline.rate || 0));
  const raw = top.map((c) => {
    let bn = 0;
    let be = 0;
    for (let k = 0; k < rowsBase.length; k++) {
      const r = rowsBase[k];
      if (c.conds.every((ci) => encoded[conds[ci].col].baseline[r] === conds[ci].code)) {
        bn++;
        be += errBase[r];
      }
    }
    // A segment absent from the baseline is compared with the baseline as a whole.
    const t =
      bn > 0
        ? twoProportionZTest(c.errors, c.rows.length, be, bn, { alternative: 'greater' })
        : twoProportionZTest(c.errors, c.rows.length, baseErr, rowsBase.length, { alternative: 'greater' });
    const cur = rateFigures(c.errors, c.rows.length, o.confidence);
    const base = rateFigures(be, bn, o.confidence);
    const baseRate = bn > 0 ? base.rate : overall.baseline.rate;
    const excess = c.rows.length * (cur.rate - baseRate);
    return {
      c,
      cur,
      base,
      test: t.status === 'ok' ? { statistic: t.statistic, pValue: t.pValue } : { statistic: 0, pValue: 1 },
      excess,
    };
  });
  // The candidates were selected for their high current error among every enumerated slice, so the
  // FDR is controlled over all of those (the ones not retained enter with p = 1).
  const padded = new Float64Array(Math.max(evaluated, raw.length)).fill(1);
  raw.forEach((s, i) => {
    padded[i] = s.test.pValue;
  });
  const bh = benjaminiHochberg(padded, o.fdr);
  const slices: Slice[] = raw.map((s, i) => ({
    conditions: s.c.conds.map((k) => {
      const enc = encoded[conds[k].col];
      const range = enc.ranges?.[conds[k].code];
      return { column: enc.name, value: enc.labels[conds[k].code], ...(range ? { range } : {}) };
    }),
    score: s.c.score,
    current: s.cur,
    baseline: s.base,
    test: { ...s.test, adjustedPValue: bh.adjusted[i] },
    confirmed: bh.rejected[i],
    excessErrors: s.excess,
    shareExplained: overallExcess > 0 ? s.excess / overallExcess : null,
  }));
  // A confirmed slice is subsumed by a confirmed refinement that carries most of its excess errors.
  const key = (c: SliceCondition): string => `${c.column}\u0000${c.value}`;
  const kept = slices.filter(
    (p) =>
      !(
        p.confirmed &&
        slices.some(
          (c) =>
            c !== p &&
            c.confirmed &&
            c.conditions.length > p.conditions.length &&
            p.conditions.every((pc) => c.conditions.some((cc) => key(cc) === key(pc))) &&
            c.excessErrors >= o.subsume * p.excessErrors &&
            c.current.rate >= 1.1 * p.current.rate,
        )
      ),
  );
  kept.sort((a, b) => Number(b.confirmed) - Number(a.confirmed) || b.excessErrors - a.excessErrors);
  return { status: 'ok', overall, slices: kept, evaluated };
}

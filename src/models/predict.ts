/**
 * Batch and single-row prediction on a compiled model.
 *
 * margin = baseMargin + Σ_trees leaf value; probability = 1 / (1 + exp(−margin)) (binary:logistic).
 * Inputs are numbers: NaN is missing; categorical features are given as codes.
 * Batches are processed in blocks of rows transposed to row-major order, every tree over the
 * block, so that one row's features sit in one cache line (as XGBoost's block-of-rows kernel).
 */
import { errors } from '../errors.js';
import { type CompiledModel, decideSlow } from './compile.js';

/** Feature columns: an array in model feature order, or a record keyed by column name. */
export type FeatureColumns = readonly Float64Array[] | Readonly<Record<string, Float64Array>>;

/** The logistic function 1 / (1 + exp(−m)). */
export function sigmoid(m: number): number {
  return 1 / (1 + Math.exp(-m));
}

/**
 * Returns the model's input columns in model feature order: by name when the input is a record
 * and the model has names, by position otherwise. Throws `PLB_ERR_INVALID_INPUT` listing every
 * missing feature, and when column lengths differ.
 */
export function alignColumns(c: CompiledModel, input: FeatureColumns): Float64Array[] {
  const nf = c.featureNames.length;
  let cols: Float64Array[];
  if (Array.isArray(input) || c.positional) {
    const list = Array.isArray(input) ? (input as Float64Array[]) : Object.values(input);
    if (list.length < nf) {
      throw errors.invalidInput(`the model needs ${nf} feature columns, got ${list.length}`, [
        { field: 'features', value: list.length, expected: `${nf} columns in model order` },
      ]);
    }
    cols = list.slice(0, nf);
  } else {
    const record = input as Readonly<Record<string, Float64Array>>;
    const missing = c.featureNames.filter((name) => !Object.hasOwn(record, name));
    if (missing.length > 0) {
      throw errors.invalidInput(
        `missing feature column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
        missing.map((name) => ({ field: name, expected: 'a column with this model feature' })),
      );
    }
    cols = c.featureNames.map((name) => record[name]);
  }
  const n = cols[0]?.length ?? 0;
  cols.forEach((col, j) => {
    if (!(col instanceof Float64Array))
      throw new TypeError(`invalid column ${c.featureNames[j]}: expected a Float64Array`);
    if (col.length !== n) {
      throw errors.invalidInput(`column ${c.featureNames[j]} has ${col.length} rows, expected ${n}`, [
        { field: c.featureNames[j], value: col.length, expected: `${n} rows like the other columns` },
      ]);
    }
  });
  return cols;
}

/** Index of the leaf a row reaches in the tree rooted at `root`; `x[offset + feature]` is the row. */
export function findLeaf(c: CompiledModel, root: number, x: ArrayLike<number>, offset: number): number {
  const { child, feature, threshold, flags } = c;
  let i = root;
  let f = feature[i];
  while (f >= 0) {
    const v = x[offset + f];
    const fl = flags[i];
    if (fl <= 1) {
      const t = threshold[i];
      i = v < t ? child[i] : v >= t ? child[i] + 1 : child[i] + 1 - fl;
    } else {
      i = child[i] + decideSlow(c, i, v);
    }
    f = feature[i];
  }
  return i;
}

/** Margin of one row given in model feature order (NaN = missing). */
export function predictRow(c: CompiledModel, row: ArrayLike<number>): number {
  if (row.length < c.featureNames.length) {
    throw new RangeError(`invalid row length: ${row.length} (expected ${c.featureNames.length} features)`);
  }
  if (c.numClass > 1)
    throw new TypeError(`invalid model: ${c.numClass} classes (predictRow is for binary models)`);
  const { roots, value, threshold, flags, treeDepth, stepFeature: sf, stepChild: sc } = c;
  // Same summation order as `predictMargins`, so both give identical margins. Four trees walk in
  // lockstep (as many steps as the deepest of them; leaves step to themselves) to overlap their
  // dependency chains; the step is written out per tree for the reason given in `predictMargins`.
  let sum = c.baseMargin;
  const nTrees = roots.length;
  let t = 0;
  for (; t + 4 <= nTrees; t += 4) {
    let a = roots[t];
    let b = roots[t + 1];
    let d = roots[t + 2];
    let e = roots[t + 3];
    const steps = Math.max(treeDepth[t], treeDepth[t + 1], treeDepth[t + 2], treeDepth[t + 3]);
    for (let s = 0; s < steps; s++) {
      {
        const v = row[sf[a]];
        const fl = flags[a];
        a =
          fl <= 1
            ? sc[a] + (+(v >= threshold[a]) | ((fl ^ 1) & +Number.isNaN(v)))
            : sc[a] + decideSlow(c, a, v);
      }
      {
        const v = row[sf[b]];
        const fl = flags[b];
        b =
          fl <= 1
            ? sc[b] + (+(v >= threshold[b]) | ((fl ^ 1) & +Number.isNaN(v)))
            : sc[b] + decideSlow(c, b, v);
      }
      {
        const v = row[sf[d]];
        const fl = flags[d];
        d =
          fl <= 1
            ? sc[d] + (+(v >= threshold[d]) | ((fl ^ 1) & +Number.isNaN(v)))
            : sc[d] + decideSlow(c, d, v);
      }
      {
        const v = row[sf[e]];
        const fl = flags[e];
        e =
          fl <= 1
            ? sc[e] + (+(v >= threshold[e]) | ((fl ^ 1) & +Number.isNaN(v)))
            : sc[e] + decideSlow(c, e, v);
      }
    }
    sum += value[a];
    sum += value[b];
    sum += value[d];
    sum += value[e];
  }
  for (; t < nTrees; t++) sum += value[findLeaf(c, roots[t], row, 0)];
  return sum;
}

const BLOCK = 128;

/** Margins (log-odds) for a batch of rows given as feature columns (binary models). */
export function predictMargins(c: CompiledModel, X: FeatureColumns): Float64Array {
  if (c.numClass > 1) throw new TypeError(`invalid model: ${c.numClass} classes (use predictClassMargins)`);
  return accumulateMargins(c, alignColumns(c, X))[0];
}

/** Per-class margins of a multiclass (or binary: one class) model: one Float64Array per class. */
export function predictClassMargins(c: CompiledModel, X: FeatureColumns): Float64Array[] {
  return accumulateMargins(c, alignColumns(c, X));
}

/** Per-class probabilities of a multiclass model by softmax over the class margins. */
export function predictClassProbabilities(c: CompiledModel, X: FeatureColumns): Float64Array[] {
  const margins = predictClassMargins(c, X);
  const n = margins[0].length;
  for (let r = 0; r < n; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (const m of margins) if (m[r] > max) max = m[r];
    let z = 0;
    for (const m of margins) z += Math.exp(m[r] - max);
    for (const m of margins) m[r] = Math.exp(m[r] - max) / z;
  }
  return margins;
}

function accumulateMargins(c: CompiledModel, cols: Float64Array[]): Float64Array[] {
  const nf = cols.length;
  const n = cols[0]?.length ?? 0;
  const outs = Array.from({ length: c.numClass }, () => new Float64Array(n).fill(c.baseMargin));
  const { treeClass } = c;
  const block = new Float64Array(BLOCK * nf);
  const { roots, value, threshold, flags, treeDepth, stepFeature: sf, stepChild: sc } = c;
  for (let start = 0; start < n; start += BLOCK) {
    const m = Math.min(BLOCK, n - start);
    for (let j = 0; j < nf; j++) {
      const col = cols[j];
      for (let r = 0; r < m; r++) block[r * nf + j] = col[start + r];
    }
    for (let t = 0; t < roots.length; t++) {
      const out = outs[treeClass[t]];
      const root = roots[t];
      const depth = treeDepth[t];
      let r = 0;
      // Four rows walk the tree in lockstep for exactly `depth` steps: independent dependency
      // chains the CPU overlaps, and no per-step leaf test (leaves step to themselves). Each step
      // is branch-free for plain numeric splits, since the outcome is unpredictable and a branch
      // would mispredict half the time: right when v >= t, or when v is NaN and the default is
      // right. The step is written out per lane on purpose: V8 does not inline it as a closure,
      // and inlining makes batch prediction 1.5× faster.
      for (; r + 4 <= m; r += 4) {
        const o = r * nf;
        let a = root;
        let b = root;
        let d = root;
        let e = root;
        for (let s = 0; s < depth; s++) {
          {
            const v = block[o + sf[a]];
            const fl = flags[a];
            a =
              fl <= 1
                ? sc[a] + (+(v >= threshold[a]) | ((fl ^ 1) & +Number.isNaN(v)))
                : sc[a] + decideSlow(c, a, v);
          }
          {
            const v = block[o + nf + sf[b]];
            const fl = flags[b];
            b =
              fl <= 1
                ? sc[b] + (+(v >= threshold[b]) | ((fl ^ 1) & +Number.isNaN(v)))
                : sc[b] + decideSlow(c, b, v);
          }
          {
            const v = block[o + 2 * nf + sf[d]];
            const fl = flags[d];
            d =
              fl <= 1
                ? sc[d] + (+(v >= threshold[d]) | ((fl ^ 1) & +Number.isNaN(v)))
                : sc[d] + decideSlow(c, d, v);
          }
          {
            const v = block[o + 3 * nf + sf[e]];
            const fl = flags[e];
            e =
              fl <= 1
                ? sc[e] + (+(v >= threshold[e]) | ((fl ^ 1) & +Number.isNaN(v)))
                : sc[e] + decideSlow(c, e, v);
          }
        }
        out[start + r] += value[a];
        out[start + r + 1] += value[b];
        out[start + r + 2] += value[d];
        out[start + r + 3] += value[e];
      }
      for (; r < m; r++) out[start + r] += value[findLeaf(c, root, block, r * nf)];
    }
  }
  return outs;
}

/** Probabilities of the positive class for a batch of rows: sigmoid of the margins. */
export function predictProbabilities(c: CompiledModel, X: FeatureColumns): Float64Array {
  const margins = predictMargins(c, X);
  for (let i = 0; i < margins.length; i++) margins[i] = sigmoid(margins[i]);
  return margins;
}

/**
 * The embedded trainer: histogram-based gradient boosting of regression trees for the
 * binary logistic loss (Friedman 2001; Chen & Guestrin, "XGBoost", KDD 2016), producing a
 * `TreeModel` in the shared conventions of `../types.ts`.
 *
 * Per round: p = σ(margin), g = p − y, h = max(p(1−p), 1e-16) (as XGBoost's `binary:logistic`);
 * a tree is grown on (g, h) (see `grow-tree.ts`) with leaf values −η·G/(H+λ); margins are updated.
 * g and h are float64 (XGBoost stores float32 pairs; float32 here was ~4 % faster but moved the flights
 * test AUC by 0.003, the size of the quality tolerance, so precision was kept).
 * The initial margin is logit(mean label) unless `baseScore` is given (XGBoost ≥ 2.0 also
 * estimates it; 1.7 defaults to 0.5). Pure: no I/O, no clock; progress goes to `onIteration`.
 * Reproducible: the same data, options and seed give the same model, bit for bit.
 */

import { rocAuc } from '../../metrics/roc-auc.js';
import { createRng } from '../../stats/random.js';
import type { ModelFeature, TreeModel, TreeNodes } from '../types.js';
import { applyBinning, type BinnedMatrix, computeBinning, type FeatureColumn } from './binning.js';
import { logLossFromMargins } from './eval-metrics.js';
import { type BinnedTree, binnedLeaf, createWorkspace, type GrowParams, growTree } from './grow-tree.js';
import { histogramLayout, toRowMajorBins } from './histogram.js';

/** Training data: one column per feature (categorical columns hold codes), and 0/1 labels. */
export interface GbdtDataset {
  features: ModelFeature[];
  columns: FeatureColumn[];
  label: ArrayLike<number>;
}

/** One boosting round's progress, passed to `onIteration`. */
export interface IterationInfo {
  /** 0-based round. */
  iteration: number;
  nTrees: number;
  /** Training log loss before this round's tree (only computed when `onIteration` is set). */
  trainLogLoss: number;
  /** Validation metric after this round's tree (NaN without a validation set). */
  validMetric: number;
}

/** Trainer options; names and defaults follow XGBoost where it has them. */
export interface GbdtOptions {
  /** Boosting rounds (XGBoost `num_boost_round`; sklearn's `n_estimators` default 100). */
  nTrees?: number;
  /** Learning rate (XGBoost `eta`, default 0.3). */
  eta?: number;
  /** Maximum depth (XGBoost `max_depth`, default 6; 0 = unlimited, then `maxLeaves` must be set). */
  maxDepth?: number;
  /** Maximum leaves per tree (XGBoost `max_leaves`, default 0 = unlimited). */
  maxLeaves?: number;
  /** `depthwise` (default, XGBoost) or `lossguide` (leaf-wise, LightGBM). */
  growPolicy?: 'depthwise' | 'lossguide';
  /** L2 regularisation on leaf weights (XGBoost `lambda`, default 1). */
  lambda?: number;
  /** Minimum gain G²-score difference to keep a split (XGBoost `gamma`/`min_split_loss`, default 0). */
  gamma?: number;
  /** Minimum hessian sum per child (XGBoost `min_child_weight`, default 1). */
  minChildWeight?: number;
  /** Fraction of rows drawn (Bernoulli) for each tree (XGBoost `subsample`, default 1). */
  subsample?: number;
  /** Fraction of features drawn for each tree (XGBoost `colsample_bytree`, default 1). */
  colsampleBytree?: number;
  /** Maximum value bins per numeric feature (XGBoost `max_bin`, default 256). */
  maxBin?: number;
  /** Below this many categories, one-vs-rest splits; else sorted partitions (XGBoost default 4). */
  maxCatToOnehot?: number;
  /** Maximum categories listed on the right of a partition split (XGBoost default 64). */
  maxCatThreshold?: number;
  /** Initial probability; default: the training label mean. */
  baseScore?: number;
  /** Seed for row and column sampling (default 0). */
  seed?: number;
  /** Validation data for `evalMetric` and early stopping. */
  valid?: Pick<GbdtDataset, 'columns' | 'label'>;
  /** Validation metric: `logloss` (default, lower is better) or `auc` (higher is better). */
  evalMetric?: 'logloss' | 'auc';
  /** Stop after this many rounds without validation improvement and keep the best (0 = off, default). */
  earlyStoppingRounds?: number;
  /** Called after every round. */
  onIteration?: (info: IterationInfo) => void;
}

const defaults = {
  nTrees: 100,
  eta: 0.3,
  maxDepth: 6,
  maxLeaves: 0,
  growPolicy: 'depthwise' as 'depthwise' | 'lossguide',
  lambda: 1,
  gamma: 0,
  minChildWeight: 1,
  subsample: 1,
  colsampleBytree: 1,
  maxBin: 256,
  maxCatToOnehot: 4,
  maxCatThreshold: 64,
  seed: 0,
  evalMetric: 'logloss' as 'logloss' | 'auc',
  earlyStoppingRounds: 0,
};

/** A trained model and its training history. */
export interface GbdtResult {
  model: TreeModel;
  /** Number of trees kept (the best round + 1 with early stopping, else `nTrees`). */
  nTrees: number;
  /** Validation metric per round (empty without a validation set). */
  validHistory: number[];
  /** Best validation metric (NaN without a validation set). */
  bestScore: number;
}

/** Trains a binary gradient-boosted tree ensemble (see the module comment). */
export function trainGbdt(data: GbdtDataset, options: GbdtOptions = {}): GbdtResult {
  const o = { ...defaults, ...options };
  validateOptions(o, data);
  const n = data.label.length;
  const p = data.features.length;
  const labels = Float64Array.from(data.label);
  for (let i = 0; i < n; i++)
    if (labels[i] !== 0 && labels[i] !== 1)
      throw new RangeError(`invalid label at row ${i}: ${data.label[i]} (expected 0 or 1)`);

  const binning = computeBinning(
    data.columns,
    data.features.map((f) => f.type),
    data.features.map((f) => (f.type === 'categorical' ? (f.categories?.length ?? 0) : 0)),
    { maxBin: o.maxBin },
  );
  const matrix = applyBinning(data.columns, binning);
  const layout = histogramLayout(matrix);
  const rowBins = toRowMajorBins(matrix, layout);
  const ws = createWorkspace(n, layout.totalBins);
  const params: GrowParams = o;

  let mean = 0;
  for (let i = 0; i < n; i++) mean += labels[i];
  mean /= n;
  if (o.baseScore === undefined && (mean === 0 || mean === 1))
    throw new RangeError(`invalid label: every row is ${mean} (expected both classes 0 and 1)`);
  const base = o.baseScore ?? mean;
  if (!(base > 0 && base < 1))
    throw new RangeError(`invalid baseScore: ${base} (expected a probability in (0, 1))`);
  const baseMargin = Math.log(base / (1 - base));

  const margins = new Float64Array(n).fill(baseMargin);
  const gh = new Float64Array(2 * n);
  const rows = new Int32Array(n);
  const unsampled = new Int32Array(n);
  const rng = createRng(o.seed);

  const valid = o.valid ? applyBinning(o.valid.columns, binning) : null;
  const validLabels = o.valid ? Float64Array.from(o.valid.label) : null;
  const validMargins = valid ? new Float64Array(valid.nRows).fill(baseMargin) : null;
  const higherIsBetter = o.evalMetric === 'auc';
  if (
    validLabels &&
    higherIsBetter &&
    (validLabels.every((y) => y === 1) || validLabels.every((y) => y !== 1))
  )
    throw new RangeError("invalid valid.label: one class only (expected both classes for evalMetric 'auc')");
  const validHistory: number[] = [];
  let bestScore = Number.NaN;
  let bestRound = -1;

  const trees: BinnedTree[] = [];
  for (let t = 0; t < o.nTrees; t++) {
    for (let i = 0; i < n; i++) {
      const pr = 1 / (1 + Math.exp(-margins[i]));
      gh[2 * i] = pr - labels[i];
      gh[2 * i + 1] = Math.max(pr * (1 - pr), 1e-16);
    }
    const trainLogLoss = o.onIteration ? logLossFromMargins(margins, labels) : Number.NaN;

    let nSampled = 0;
    let nUnsampled = 0;
    if (o.subsample < 1) {
      for (let i = 0; i < n; i++) {
        if (rng.next() < o.subsample) rows[nSampled++] = i;
        else unsampled[nUnsampled++] = i;
      }
    } else {
      for (let i = 0; i < n; i++) rows[i] = i;
      nSampled = n;
    }
    const featureList = sampleFeatures(p, o.colsampleBytree, rng);
    const tree = growTree(matrix, rowBins, layout, featureList, rows, nSampled, gh, params, ws);
    trees.push(tree);

    forEachLeaf(tree, 0, (leaf) => {
      const v = tree.value[leaf];
      for (let k = tree.start[leaf]; k < tree.end[leaf]; k++) margins[rows[k]] += v;
    });
    for (let k = 0; k < nUnsampled; k++) {
      const r = unsampled[k];
      margins[r] += tree.value[binnedLeaf(tree, matrix.bins, n, r)];
    }

    let validMetric = Number.NaN;
    if (valid && validMargins && validLabels) {
      for (let i = 0; i < valid.nRows; i++)
        validMargins[i] += tree.value[binnedLeaf(tree, valid.bins, valid.nRows, i)];
      validMetric =
        o.evalMetric === 'auc'
          ? rocAuc(validLabels, validMargins)
          : logLossFromMargins(validMargins, validLabels);
      validHistory.push(validMetric);
      if (bestRound < 0 || (higherIsBetter ? validMetric > bestScore : validMetric < bestScore)) {
        bestScore = validMetric;
        bestRound = t;
      }
    }
    o.onIteration?.({ iteration: t, nTrees: o.nTrees, trainLogLoss, validMetric });
    if (o.earlyStoppingRounds > 0 && bestRound >= 0 && t - bestRound >= o.earlyStoppingRounds) break;
  }
  const kept = o.earlyStoppingRounds > 0 && bestRound >= 0 ? bestRound + 1 : trees.length;

  const { valid: _v, onIteration: _cb, ...params_ } = o;
  const model: TreeModel = {
    objective: 'binary:logistic',
    features: data.features.map((f) => ({ ...f })),
    baseMargin,
    trees: trees.slice(0, kept).map((tree) => toTreeNodes(tree, matrix)),
    source: {
      format: 'plumbline-gbdt',
      params: { ...params_, baseScore: base },
      seed: o.seed,
      nRows: n,
      ...(valid && Number.isFinite(bestScore)
        ? { validation: { metric: o.evalMetric, best: bestScore, bestIteration: bestRound } }
        : {}),
    },
  };
  return { model, nTrees: kept, validHistory, bestScore };
}

/** Draws ⌈colsample·p⌉ features (at least one) without replacement, in ascending order. */
function sampleFeatures(p: number, fraction: number, rng: ReturnType<typeof createRng>): Int32Array {
  const all = Int32Array.from({ length: p }, (_, j) => j);
  if (fraction >= 1) return all;
  const k = Math.max(1, Math.round(fraction * p));
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(p - i);
    const tmp = all[i];
    all[i] = all[j];
    all[j] = tmp;
  }
  return all.subarray(0, k).sort();
}

function forEachLeaf(tree: BinnedTree, node: number, fn: (leaf: number) => void): void {
  if (tree.left[node] === -1) fn(node);
  else {
    forEachLeaf(tree, tree.left[node], fn);
    forEachLeaf(tree, tree.right[node], fn);
  }
}

/** Converts a binned tree to the shared node arrays (breadth-first ids, bins mapped to thresholds). */
function toTreeNodes(tree: BinnedTree, matrix: BinnedMatrix): TreeNodes {
  const out: TreeNodes = {
    left: [],
    right: [],
    feature: [],
    threshold: [],
    categories: [],
    defaultLeft: [],
    value: [],
    cover: [],
  };
  const order = [0];
  const id = new Map<number, number>([[0, 0]]);
  for (let q = 0; q < order.length; q++) {
    const node = order[q];
    if (tree.left[node] !== -1)
      for (const c of [tree.left[node], tree.right[node]]) {
        id.set(c, order.length);
        order.push(c);
      }
  }
  for (const node of order) {
    const split = tree.split[node];
    out.cover.push(tree.cover[node]);
    if (tree.left[node] === -1 || split === null) {
      out.left.push(-1);
      out.right.push(-1);
      out.feature.push(-1);
      out.threshold.push(0);
      out.categories.push(null);
      out.defaultLeft.push(true);
      out.value.push(tree.value[node]);
      continue;
    }
    const f = matrix.features[split.feature];
    out.left.push(id.get(tree.left[node])!);
    out.right.push(id.get(tree.right[node])!);
    out.feature.push(split.feature);
    out.defaultLeft.push(split.defaultLeft);
    out.value.push(0);
    if (f.type === 'numeric') {
      out.threshold.push(f.cuts[split.bin]);
      out.categories.push(null);
    } else {
      const right: number[] = [];
      for (let c = 0; c < f.valueBins; c++) if (split.goRight[c] === 1) right.push(c);
      out.threshold.push(0);
      out.categories.push(right);
    }
  }
  return out;
}

function validateOptions(o: typeof defaults & GbdtOptions, data: GbdtDataset): void {
  const check = (name: string, v: number, ok: boolean, expected: string) => {
    if (!ok) throw new RangeError(`invalid ${name}: ${v} (expected ${expected})`);
  };
  check('nTrees', o.nTrees, Number.isInteger(o.nTrees) && o.nTrees >= 1, 'an integer ≥ 1');
  check('eta', o.eta, o.eta > 0 && o.eta <= 1, 'a number in (0, 1]');
  check('maxDepth', o.maxDepth, Number.isInteger(o.maxDepth) && o.maxDepth >= 0, 'an integer ≥ 0');
  check('maxLeaves', o.maxLeaves, Number.isInteger(o.maxLeaves) && o.maxLeaves >= 0, 'an integer ≥ 0');
  if (o.maxDepth === 0 && o.maxLeaves === 0)
    throw new RangeError('invalid maxDepth: 0 with maxLeaves 0 (expected a depth or a leaf limit)');
  if (o.growPolicy !== 'depthwise' && o.growPolicy !== 'lossguide')
    throw new RangeError(`invalid growPolicy: ${o.growPolicy} (expected 'depthwise' or 'lossguide')`);
  check('lambda', o.lambda, o.lambda >= 0, 'a number ≥ 0');
  check('gamma', o.gamma, o.gamma >= 0, 'a number ≥ 0');
  check('minChildWeight', o.minChildWeight, o.minChildWeight >= 0, 'a number ≥ 0');
  check('subsample', o.subsample, o.subsample > 0 && o.subsample <= 1, 'a number in (0, 1]');
  check(
    'colsampleBytree',
    o.colsampleBytree,
    o.colsampleBytree > 0 && o.colsampleBytree <= 1,
    'a number in (0, 1]',
  );
  check(
    'maxCatThreshold',
    o.maxCatThreshold,
    Number.isInteger(o.maxCatThreshold) && o.maxCatThreshold >= 1,
    'an integer ≥ 1',
  );
  check(
    'earlyStoppingRounds',
    o.earlyStoppingRounds,
    Number.isInteger(o.earlyStoppingRounds) && o.earlyStoppingRounds >= 0,
    'an integer ≥ 0',
  );
  if (o.evalMetric !== 'logloss' && o.evalMetric !== 'auc')
    throw new RangeError(`invalid evalMetric: ${o.evalMetric} (expected 'logloss' or 'auc')`);
  if (data.columns.length !== data.features.length)
    throw new RangeError(
      `invalid columns: ${data.columns.length} columns for ${data.features.length} features`,
    );
  if (data.label.length === 0) throw new RangeError('invalid label: 0 rows (expected at least one)');
  if (o.earlyStoppingRounds > 0 && !o.valid)
    throw new TypeError('invalid earlyStoppingRounds: needs a validation set (`valid`)');
  if (o.valid && o.valid.columns.length !== data.features.length)
    throw new RangeError(
      `invalid valid.columns: ${o.valid.columns.length} columns (expected ${data.features.length})`,
    );
}

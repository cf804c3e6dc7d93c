import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../compile.js';
import { modelContentHash } from '../formats/native.js';
import { predictMargins } from '../predict.js';
import type { ModelFeature, TreeModel, TreeNodes } from '../types.js';
import { validateTreeModel } from '../validate.js';
import { logLossFromMargins } from './eval-metrics.js';
import { type GbdtDataset, trainGbdt } from './train.js';

const num = (name: string): ModelFeature => ({ name, type: 'numeric' });
const cat = (name: string, k: number): ModelFeature => ({
  name,
  type: 'categorical',
  categories: Array.from({ length: k }, (_, i) => `c${i}`),
});

function leaves(tree: TreeNodes): number[] {
  return tree.value.filter((_, i) => tree.left[i] === -1);
}

function depthOf(tree: TreeNodes, node = 0): number {
  return tree.left[node] === -1
    ? 0
    : 1 + Math.max(depthOf(tree, tree.left[node]), depthOf(tree, tree.right[node]));
}

/** A noisy two-feature problem with a categorical column, made from a fixed LCG. */
function noisyData(n: number, seed: number): GbdtDataset {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  const c = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x0[i] = u() * 10;
    x1[i] = u() < 0.1 ? Number.NaN : u();
    c[i] = Math.floor(u() * 6);
    y[i] = u() < 1 / (1 + Math.exp(-(x0[i] - 5) * 0.5 - (c[i] === 2 ? 1 : 0))) ? 1 : 0;
  }
  return { features: [num('x0'), num('x1'), cat('c', 6)], columns: [x0, x1, c], label: y };
}

describe('trainGbdt on hand-checkable data', () => {
  it('recovers a step function with one split at the step', () => {
    const x = Float64Array.from({ length: 100 }, (_, i) => i);
    const y = Float64Array.from(x, (v) => (v >= 50 ? 1 : 0));
    const { model } = trainGbdt({ features: [num('x')], columns: [x], label: y }, { nTrees: 1, maxDepth: 1 });
    const t = model.trees[0];
    expect(t.feature[0]).toBe(0);
    expect(t.threshold[0]).toBe(50);
    expect(t.value[t.left[0]]).toBeLessThan(0);
    expect(t.value[t.right[0]]).toBeGreaterThan(0);
    expect(model.baseMargin).toBe(0); // label mean 0.5
  });

  it('gives the hand-computed leaf value and cover: −η·G/(H+λ) and H', () => {
    // baseScore 0.5: p = 0.5 for all rows, g = p − y, h = 0.25. y = [1,0,0,1,1] → G = −0.5, H = 1.25.
    const y = Float64Array.of(1, 0, 0, 1, 1);
    const x = Float64Array.of(1, 2, 3, 4, 5);
    const { model } = trainGbdt(
      { features: [num('x')], columns: [x], label: y },
      { nTrees: 1, baseScore: 0.5, minChildWeight: 10, eta: 0.3, lambda: 1 },
    );
    const t = model.trees[0];
    expect(t.left).toEqual([-1]);
    expect(t.value[0]).toBeCloseTo((0.3 * 0.5) / (1.25 + 1), 15);
    expect(t.cover[0]).toBeCloseTo(1.25, 15);
  });

  it('learns the default direction of missing values from the data', () => {
    const n = 200;
    for (const missingLabel of [0, 1]) {
      const x = new Float64Array(n);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        x[i] = i % 4 === 0 ? Number.NaN : i % 100;
        y[i] = i % 4 === 0 ? missingLabel : x[i] >= 50 ? 1 : 0;
      }
      const { model } = trainGbdt(
        { features: [num('x')], columns: [x], label: y },
        { nTrees: 1, maxDepth: 1 },
      );
      const t = model.trees[0];
      expect(t.threshold[0]).toBe(50);
      // Missing rows behave like the side with the same label: label 1 ↔ right (x ≥ 50).
      expect(t.defaultLeft[0]).toBe(missingLabel === 0);
    }
  });

  it('separates categories with one partition split', () => {
    const k = 10;
    const c = Float64Array.from({ length: 500 }, (_, i) => i % k);
    const y = Float64Array.from(c, (v) => ([2, 5, 7].includes(v) ? 1 : 0));
    const { model } = trainGbdt(
      { features: [cat('c', k)], columns: [c], label: y },
      { nTrees: 1, maxDepth: 1 },
    );
    expect(model.trees[0].categories[0]).toEqual([2, 5, 7]);
    expect(model.trees[0].value[model.trees[0].right[0]]).toBeGreaterThan(0);
  });

  it('uses one-vs-rest splits below maxCatToOnehot categories', () => {
    const c = Float64Array.from({ length: 300 }, (_, i) => i % 3);
    const y = Float64Array.from(c, (v) => (v === 1 ? 1 : 0));
    const { model } = trainGbdt(
      { features: [cat('c', 3)], columns: [c], label: y },
      { nTrees: 1, maxDepth: 1 },
    );
    expect(model.trees[0].categories[0]).toEqual([1]);
  });
});

describe('trainGbdt reproducibility and growth policies', () => {
  const data = noisyData(3000, 7);

  it('gives the identical model for the same seed, and a different one for another seed with subsampling', () => {
    const opts = { nTrees: 5, subsample: 0.7, colsampleBytree: 0.67 };
    const a = JSON.stringify(trainGbdt(data, { ...opts, seed: 1 }).model);
    const b = JSON.stringify(trainGbdt(data, { ...opts, seed: 1 }).model);
    const c = JSON.stringify(trainGbdt(data, { ...opts, seed: 2 }).model);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    const hash = (seed: number) => modelContentHash(trainGbdt(data, { ...opts, seed }).model);
    expect(hash(1)).toBe(hash(1));
    expect(hash(2)).not.toBe(hash(1));
  });

  it('depthwise respects maxDepth; lossguide respects maxLeaves and may grow deeper', () => {
    const dw = trainGbdt(data, { nTrees: 3, maxDepth: 2 }).model;
    for (const t of dw.trees) {
      expect(depthOf(t)).toBeLessThanOrEqual(2);
      expect(leaves(t).length).toBeLessThanOrEqual(4);
    }
    const lg = trainGbdt(data, { nTrees: 3, growPolicy: 'lossguide', maxLeaves: 8, maxDepth: 0 }).model;
    for (const t of lg.trees) expect(leaves(t).length).toBe(8);
    // 8 leaves grown by gain, not level by level: deeper than the balanced depth 3.
    expect(Math.max(...lg.trees.map((t) => depthOf(t)))).toBeGreaterThan(3);
  });

  it('binned margins during training match the threshold-based predictor; training log loss decreases', () => {
    const losses: number[] = [];
    const { model, validHistory } = trainGbdt(data, {
      nTrees: 10,
      subsample: 0.8,
      valid: data,
      onIteration: (i) => losses.push(i.trainLogLoss),
    });
    expect(validateTreeModel(model)).toBe(model);
    expect(model.source).toMatchObject({
      format: 'plumbline-gbdt',
      seed: 0,
      params: { eta: 0.3, maxDepth: 6 },
    });
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
    // validHistory comes from bin-space traversal; the predictor uses thresholds on raw values.
    const m = predictMargins(compileModel(model), data.columns as Float64Array[]);
    expect(logLossFromMargins(m, data.label)).toBeCloseTo(validHistory[9], 12);
  });

  it('stops early and keeps the best round', () => {
    // Pure-noise labels: validation loss stops improving quickly.
    const noise = {
      ...data,
      label: Float64Array.from(data.label, (_, i) => (((i * 2654435761) >>> 0) % 7 < 3 ? 1 : 0)),
    };
    const valid = noisyData(1000, 99);
    const validNoise = {
      columns: valid.columns,
      label: Float64Array.from(valid.label, (_, i) => (i % 7 < 3 ? 1 : 0)),
    };
    const res = trainGbdt(noise, { nTrees: 200, eta: 0.5, valid: validNoise, earlyStoppingRounds: 5 });
    expect(res.validHistory.length).toBeLessThan(200);
    expect(res.validHistory.length).toBe(res.nTrees + 5);
    expect(res.model.trees.length).toBe(res.nTrees);
    expect(res.bestScore).toBe(Math.min(...res.validHistory));
    const auc = trainGbdt(noise, {
      nTrees: 200,
      eta: 0.5,
      valid: validNoise,
      earlyStoppingRounds: 5,
      evalMetric: 'auc',
    });
    expect(auc.validHistory.length).toBe(auc.nTrees + 5);
    expect(auc.bestScore).toBe(Math.max(...auc.validHistory));
  });

  it('prunes splits whose gain is below gamma (XGBoost min_split_loss)', () => {
    const kept = trainGbdt(data, { nTrees: 1, maxDepth: 3 }).model.trees[0];
    const pruned = trainGbdt(data, { nTrees: 1, maxDepth: 3, gamma: 1e9 }).model.trees[0];
    expect(kept.left.length).toBeGreaterThan(1);
    expect(pruned.left).toEqual([-1]);
    expect(pruned.cover[0]).toBeCloseTo(kept.cover[0], 9);
  });

  it('rejects invalid options and labels', () => {
    expect(() => trainGbdt({ ...data, label: new Float64Array(3000) })).toThrow(/both classes/);
    expect(() => trainGbdt(data, { eta: 0 })).toThrow(RangeError);
    expect(() => trainGbdt(data, { subsample: 1.5 })).toThrow(/subsample/);
    expect(() => trainGbdt(data, { earlyStoppingRounds: 3 })).toThrow(TypeError);
    const oneClass = { columns: data.columns, label: new Float64Array(3000) };
    expect(() => trainGbdt(data, { valid: oneClass, evalMetric: 'auc' })).toThrow(/one class/);
    expect(() => trainGbdt({ ...data, label: new Float64Array(3000).fill(2) })).toThrow(/label/);
  });
});

//// Against XGBoost 1.7.4 (hist) on tiny integer data: same bins, so the same trees. ////

interface XgbNode {
  leaf?: number;
  cover: number;
  feature?: number;
  threshold?: number | null;
  defaultLeft?: boolean;
  left?: XgbNode;
  right?: XgbNode;
}
interface XgbCase {
  name: string;
  types: ('numeric' | 'categorical')[];
  nCategories?: number[];
  columns: (number | null)[][];
  label: number[];
  params: {
    nTrees: number;
    maxDepth: number;
    eta: number;
    lambda: number;
    minChildWeight: number;
    maxBin: number;
    baseScore: number;
  };
  trees: XgbNode[];
  margins: number[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/gbdt-tiny-xgboost.json', import.meta.url), 'utf8'),
) as { cases: XgbCase[] };

// XGBoost accumulates float32 gradient pairs: agreement to 1e-5 relative (float32 has ~7 digits).
const REL = 1e-5;
const close = (a: number, b: number) => Math.abs(a - b) <= REL * Math.max(1, Math.abs(b));

function sameNumericTree(t: TreeNodes, node: number, x: XgbNode): void {
  expect(close(t.cover[node], x.cover)).toBe(true);
  if (x.leaf !== undefined) {
    expect(t.left[node]).toBe(-1);
    expect(close(t.value[node], x.leaf)).toBe(true);
    return;
  }
  expect(t.feature[node]).toBe(x.feature);
  expect(t.threshold[node]).toBe(x.threshold);
  expect(t.defaultLeft[node]).toBe(x.defaultLeft);
  sameNumericTree(t, t.left[node], x.left!);
  sameNumericTree(t, t.right[node], x.right!);
}

describe('trainGbdt against XGBoost hist (fixture gbdt-tiny-xgboost.json, 1e-5 relative)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const features = c.types.map((type, j) =>
        type === 'numeric' ? num(`f${j}`) : cat(`f${j}`, c.nCategories![j]),
      );
      const columns = c.columns.map((col) => Float64Array.from(col, (v) => (v === null ? Number.NaN : v)));
      const { model }: { model: TreeModel } = trainGbdt(
        { features, columns, label: c.label },
        { ...c.params, baseScore: c.params.baseScore },
      );
      expect(model.trees.length).toBe(c.trees.length);
      if (!c.types.includes('categorical'))
        for (const [k, t] of model.trees.entries()) sameNumericTree(t, 0, c.trees[k]);
      // Categorical sets may be listed from either side; compare what the model computes.
      const m = predictMargins(compileModel(model), columns);
      m.forEach((v, i) => {
        expect(close(v, c.margins[i])).toBe(true);
      });
    });
  }
});

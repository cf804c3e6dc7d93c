/**
 * Grows one regression tree on gradient/hessian statistics over binned data.
 *
 * Rows live in one index buffer, each node owning a contiguous range (stably partitioned on
 * split, so ranges stay sorted and memory access stays monotone). Only the smaller child's
 * histogram is built; the larger one is parent − smaller, computed in the parent's buffer.
 * Children that can never split (depth limit, too little hessian) get no histogram at all.
 *
 * Growth: `depthwise` expands nodes level by level (XGBoost's default); `lossguide` always
 * expands the pending node with the largest gain (LightGBM's leaf-wise growth). Both stop at
 * `maxDepth` (0 = unlimited) and `maxLeaves` (0 = unlimited). After growth, splits whose gain
 * is below `gamma` and whose children are both leaves are pruned bottom-up, as XGBoost's pruner.
 */
import type { BinnedMatrix } from './binning.js';
import { buildHistogram, type HistogramLayout, type RowMajorBins, subtractHistogram } from './histogram.js';
import { findBestSplit, leafWeight, type SplitCandidate, type SplitParams } from './split.js';

/** Tree-growth parameters (XGBoost names). */
export interface GrowParams extends SplitParams {
  eta: number;
  gamma: number;
  maxDepth: number;
  maxLeaves: number;
  growPolicy: 'depthwise' | 'lossguide';
}

/** A grown tree over bins: leaves have `left[i] === −1`; internal nodes route by `goRight[i][bin]`. */
export interface BinnedTree {
  left: number[];
  right: number[];
  feature: number[];
  /** The split (null for leaves): numeric bin, routing mask and default direction. */
  split: (SplitCandidate | null)[];
  /** Leaf value (η already applied); 0 for internal nodes. */
  value: number[];
  /** Hessian sum of the node. */
  cover: number[];
  /** Rows of node i are `rows[start[i] … end[i])` of the index buffer passed in. */
  start: number[];
  end: number[];
}

/** Reusable buffers for growing trees on one matrix. */
export interface GrowWorkspace {
  tmp: Int32Array;
  pool: Float64Array[];
  histSize: number;
}

/** Allocates scratch buffers for `nRows` rows and `totalBins` histogram bins. */
export function createWorkspace(nRows: number, totalBins: number): GrowWorkspace {
  return {
    tmp: new Int32Array(nRows),
    pool: [],
    histSize: totalBins * 2,
  };
}

interface Pending {
  node: number;
  depth: number;
  hist: Float64Array | null;
  split: SplitCandidate | null;
  g: number;
  h: number;
}

/** Grows a tree on rows `rows[0…nRows)` (gradients/hessians interleaved in `gh`); reorders `rows` so that each leaf's rows are contiguous. */
export function growTree(
  matrix: BinnedMatrix,
  rowBins: RowMajorBins,
  layout: HistogramLayout,
  featureList: Int32Array,
  rows: Int32Array,
  nRows: number,
  gh: Float64Array,
  params: GrowParams,
  ws: GrowWorkspace,
): BinnedTree {
  const tree: BinnedTree = {
    left: [],
    right: [],
    feature: [],
    split: [],
    value: [],
    cover: [],
    start: [],
    end: [],
  };
  const take = (): Float64Array => ws.pool.pop() ?? new Float64Array(ws.histSize);
  const addNode = (start: number, end: number, g: number, h: number): number => {
    tree.left.push(-1);
    tree.right.push(-1);
    tree.feature.push(-1);
    tree.split.push(null);
    tree.value.push(leafWeight(g, h, params.lambda) * params.eta);
    tree.cover.push(h);
    tree.start.push(start);
    tree.end.push(end);
    return tree.left.length - 1;
  };
  const canSplit = (depth: number, h: number, n: number): boolean =>
    (params.maxDepth === 0 || depth < params.maxDepth) && h >= 2 * params.minChildWeight && n >= 2;
  const evaluate = (p: Pending): void => {
    p.split = findBestSplit(p.hist!, matrix, layout, featureList, p.g, p.h, params);
    if (p.split === null || !(p.split.gain > 1e-6)) {
      p.split = null;
      ws.pool.push(p.hist!);
      p.hist = null;
    }
  };

  const all = featureList.length === matrix.features.length;
  let g = 0;
  let h = 0;
  for (let k = 0; k < nRows; k++) {
    const r = rows[k];
    g += gh[r << 1];
    h += gh[(r << 1) + 1];
  }
  const root: Pending = { node: addNode(0, nRows, g, h), depth: 0, hist: null, split: null, g, h };
  const queue: Pending[] = [];
  if (canSplit(0, h, nRows)) {
    root.hist = take();
    buildHistogram(root.hist, rowBins, featureList, all, rows, 0, nRows, gh);
    evaluate(root);
    if (root.split) queue.push(root);
  }
  let leaves = 1;
  while (queue.length > 0 && (params.maxLeaves === 0 || leaves < params.maxLeaves)) {
    let pick = 0;
    if (params.growPolicy === 'lossguide')
      for (let i = 1; i < queue.length; i++) if (queue[i].split!.gain > queue[pick].split!.gain) pick = i;
    const p = queue.splice(pick, 1)[0];
    const split = p.split!;
    const mid = partitionRows(matrix, split, rows, tree.start[p.node], tree.end[p.node], ws.tmp);
    const s = tree.start[p.node];
    const e = tree.end[p.node];
    const l = addNode(s, mid, split.gLeft, split.hLeft);
    const r = addNode(mid, e, split.gRight, split.hRight);
    tree.left[p.node] = l;
    tree.right[p.node] = r;
    tree.feature[p.node] = split.feature;
    tree.split[p.node] = split;
    tree.value[p.node] = 0;
    leaves++;
    const lp: Pending = {
      node: l,
      depth: p.depth + 1,
      hist: null,
      split: null,
      g: split.gLeft,
      h: split.hLeft,
    };
    const rp: Pending = {
      node: r,
      depth: p.depth + 1,
      hist: null,
      split: null,
      g: split.gRight,
      h: split.hRight,
    };
    const wantL = canSplit(lp.depth, lp.h, mid - s);
    const wantR = canSplit(rp.depth, rp.h, e - mid);
    if (wantL || wantR) {
      const [small, large] = mid - s <= e - mid ? [lp, rp] : [rp, lp];
      small.hist = take();
      const ss = tree.start[small.node];
      const se = tree.end[small.node];
      buildHistogram(small.hist, rowBins, featureList, all, rows, ss, se, gh);
      subtractHistogram(p.hist!, small.hist);
      large.hist = p.hist;
      p.hist = null;
      for (const [c, want] of [
        [lp, wantL],
        [rp, wantR],
      ] as const) {
        if (want) {
          evaluate(c);
          if (c.split) queue.push(c);
        } else {
          ws.pool.push(c.hist!);
          c.hist = null;
        }
      }
    } else {
      ws.pool.push(p.hist!);
      p.hist = null;
    }
  }
  for (const p of queue) if (p.hist) ws.pool.push(p.hist);
  if (params.gamma > 0) pruneTree(tree, 0, params);
  return tree;
}

/** Stable partition of `rows[start…end)` by the split; returns the first index of the right child. */
function partitionRows(
  matrix: BinnedMatrix,
  split: SplitCandidate,
  rows: Int32Array,
  start: number,
  end: number,
  tmp: Int32Array,
): number {
  const bins = matrix.bins;
  const base = split.feature * matrix.nRows;
  const goRight = split.goRight;
  let w = start;
  let t = 0;
  // Branch-free: the direction is data-dependent and mispredicts half the time. Writing rows[w]
  // is safe because w ≤ k (that slot has been read already).
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const d = goRight[bins[base + r]];
    rows[w] = r;
    tmp[t] = r;
    w += 1 - d;
    t += d;
  }
  rows.set(tmp.subarray(0, t), w);
  return w;
}

/** Bottom-up pruning: a split with gain < gamma whose children are leaves becomes a leaf. */
function pruneTree(tree: BinnedTree, node: number, params: GrowParams): boolean {
  const l = tree.left[node];
  if (l === -1) return true;
  const r = tree.right[node];
  const leafL = pruneTree(tree, l, params);
  const leafR = pruneTree(tree, r, params);
  if (!(leafL && leafR) || tree.split[node]!.gain >= params.gamma) return false;
  const split = tree.split[node]!;
  const g = split.gLeft + split.gRight;
  tree.left[node] = -1;
  tree.right[node] = -1;
  tree.feature[node] = -1;
  tree.split[node] = null;
  tree.value[node] = leafWeight(g, tree.cover[node], params.lambda) * params.eta;
  return true;
}

/** Leaf reached by a row of a binned matrix (column-major bins). */
export function binnedLeaf(
  tree: BinnedTree,
  bins: Uint8Array | Uint16Array,
  nRows: number,
  row: number,
): number {
  let node = 0;
  while (tree.left[node] !== -1) {
    const split = tree.split[node]!;
    node = split.goRight[bins[split.feature * nRows + row]] === 1 ? tree.right[node] : tree.left[node];
  }
  return node;
}

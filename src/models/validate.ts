/**
 * Structural checks on a `TreeModel`, so that a corrupt or hand-edited file fails
 * on load with a message naming the tree, the node and the problem
 * ("tree 3 node 7: left child 99 out of range") instead of misbehaving later.
 */
import { errors } from '../errors.js';
import type { TreeModel, TreeNodes } from './types.js';

function fail(where: string, problem: string, value?: unknown): never {
  throw errors.invalidModel(`${where}: ${problem}`, [{ field: where, value, expected: problem }]);
}

function checkTree(tree: TreeNodes, t: number, nFeatures: number): void {
  const n = tree.left?.length;
  const where = `tree ${t}`;
  if (!Number.isInteger(n) || n < 1) fail(where, 'has no nodes');
  for (const key of [
    'right',
    'feature',
    'threshold',
    'categories',
    'defaultLeft',
    'value',
    'cover',
  ] as const) {
    if (!Array.isArray(tree[key]) || tree[key].length !== n) {
      fail(where, `array "${key}" has length ${tree[key]?.length} (expected ${n})`);
    }
  }
  if (tree.zeroAsMissing !== undefined && tree.zeroAsMissing.length !== n) {
    fail(where, `array "zeroAsMissing" has length ${tree.zeroAsMissing.length} (expected ${n})`);
  }
  const seen = new Uint8Array(n);
  const stack = [0];
  seen[0] = 1;
  while (stack.length > 0) {
    const i = stack.pop()!;
    const at = `${where} node ${i}`;
    const l = tree.left[i];
    const r = tree.right[i];
    if (!Number.isFinite(tree.cover[i]) || tree.cover[i] < 0)
      fail(at, 'cover must be a finite number >= 0', tree.cover[i]);
    if (l === -1) {
      if (r !== -1) fail(at, `leaf has right child ${r} (expected -1)`, r);
      if (!Number.isFinite(tree.value[i])) fail(at, 'leaf value must be finite', tree.value[i]);
      continue;
    }
    if (!Number.isInteger(l) || l < 1 || l >= n) fail(at, `left child ${l} out of range`, l);
    if (!Number.isInteger(r) || r < 1 || r >= n) fail(at, `right child ${r} out of range`, r);
    const f = tree.feature[i];
    if (!Number.isInteger(f) || f < 0 || f >= nFeatures) {
      fail(at, `split feature ${f} out of range (model has ${nFeatures} features)`, f);
    }
    const cats = tree.categories[i];
    if (cats === null) {
      if (Number.isNaN(tree.threshold[i]) || typeof tree.threshold[i] !== 'number') {
        fail(at, 'numeric split threshold must be a number', tree.threshold[i]);
      }
    } else if (!Array.isArray(cats) || cats.some((c) => !Number.isInteger(c) || c < 0 || c > 2 ** 24)) {
      fail(at, 'categorical split codes must be integers in [0, 2^24]', cats);
    }
    for (const c of [l, r]) {
      if (seen[c]) fail(at, `child ${c} is reached twice (the tree has a cycle or shared node)`, c);
      seen[c] = 1;
      stack.push(c);
    }
  }
}

/** Throws `PLB_ERR_INVALID_MODEL` naming the first structural problem in `model`; returns it unchanged otherwise. */
export function validateTreeModel(model: TreeModel): TreeModel {
  if (model.objective === 'multi:softprob') {
    const k = model.numClass ?? 0;
    if (!Number.isInteger(k) || k < 2) fail('numClass', 'must be an integer >= 2 for multi:softprob', k);
    const cls = model.treeClass;
    const bad = !Array.isArray(cls) || cls.length !== model.trees?.length;
    if (bad || cls.some((c) => !Number.isInteger(c) || c < 0 || c >= k)) {
      fail('treeClass', `must give each tree a class in [0, ${k})`, cls?.length);
    }
  } else if (model.objective !== 'binary:logistic') {
    fail(
      'objective',
      `unsupported objective "${model.objective}" (expected binary:logistic or multi:softprob)`,
      model.objective,
    );
  }
  if (!Array.isArray(model.features) || model.features.length === 0)
    fail('features', 'must list at least one feature');
  if (!Number.isFinite(model.baseMargin)) fail('baseMargin', 'must be a finite number', model.baseMargin);
  if (!Array.isArray(model.trees)) fail('trees', 'must be an array');
  model.trees.forEach((tree, t) => {
    checkTree(tree, t, model.features.length);
  });
  return model;
}

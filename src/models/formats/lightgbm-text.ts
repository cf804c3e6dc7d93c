/**
 * Reads LightGBM text models (`Booster.save_model('m.txt')`, format `version=v3`/`v4`) into a
 * `TreeModel`, following LightGBM's `Tree::Decision` (include/LightGBM/tree.h):
 *
 * - `decision_type` bits: 0 categorical, 1 default-left, 2–3 missing type (0 None, 1 Zero, 2 NaN).
 * - Numeric split: left when `x <= threshold` (float64); stored as `x < nextUp(threshold)`.
 *   Missing type NaN: NaN takes the default side. Zero: NaN is read as 0, and |x| <= 1e-35 takes
 *   the default side (`zeroAsMissing`). None: NaN is read as 0, so it goes left exactly when
 *   0 <= threshold — folded into `defaultLeft`.
 * - Categorical split: the codes in the node's bitset (`cat_boundaries`/`cat_threshold`, 32-bit
 *   words) go LEFT in LightGBM; NaN and negative codes go right. Plumbline's convention sends the
 *   listed codes right, so the children are swapped and missing values default left (= LightGBM's
 *   right). Codes are truncated toward zero, as `static_cast<int>`.
 * - Negative child indices are leaves (`~c`); node i < num_leaves − 1 is a split, leaf k becomes
 *   node num_leaves − 1 + k. Cover is `internal_count`/`leaf_count` (data counts), as LightGBM's
 *   own TreeSHAP. `leaf_value` already includes `shrinkage`. No base margin (boost_from_average is
 *   folded into the first tree). `objective=binary sigmoid:s` with s ≠ 1 scales the leaves by s,
 *   so that probability = sigmoid(margin); `average_output` (random forest) divides by the tree count.
 */
import { errors } from '../../errors.js';
import { nextUp } from '../float.js';
import type { ModelFeature, TreeModel, TreeNodes } from '../types.js';
import { validateTreeModel } from '../validate.js';

function bad(where: string, problem: string, value?: unknown): never {
  throw errors.invalidModel(`LightGBM model: ${where}: ${problem}`, [
    { field: where, value, expected: problem },
  ]);
}

function parseBlock(lines: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq > 0) out.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

function numbersOf(block: Map<string, string>, key: string, where: string, length: number): number[] {
  const raw = block.get(key);
  if (length === 0) return [];
  if (raw === undefined) bad(where, `missing "${key}"`);
  const values = raw.split(/\s+/).map(Number);
  if (values.length !== length)
    bad(where, `"${key}" has ${values.length} values (expected ${length})`, values.length);
  const i = values.findIndex((v) => Number.isNaN(v));
  if (i >= 0) bad(where, `"${key}" value ${i} is not a number`, raw.split(/\s+/)[i]);
  return values;
}

function readTree(block: Map<string, string>, t: number, scale: number): TreeNodes {
  const where = `tree ${t}`;
  const nLeaves = Number(block.get('num_leaves'));
  if (!Number.isInteger(nLeaves) || nLeaves < 1)
    bad(where, 'num_leaves must be a positive integer', block.get('num_leaves'));
  if (block.get('is_linear') === '1') bad(where, 'linear trees (linear_tree=true) are not supported');
  const nSplit = nLeaves - 1;
  const n = nSplit + nLeaves;
  const feature = numbersOf(block, 'split_feature', where, nSplit);
  const threshold = numbersOf(block, 'threshold', where, nSplit);
  const decision = numbersOf(block, 'decision_type', where, nSplit);
  const leftRaw = numbersOf(block, 'left_child', where, nSplit);
  const rightRaw = numbersOf(block, 'right_child', where, nSplit);
  const leafValue = numbersOf(block, 'leaf_value', where, nLeaves);
  const leafCount = block.has('leaf_count')
    ? numbersOf(block, 'leaf_count', where, nLeaves)
    : new Array(nLeaves).fill(1);
  const internalCount = block.has('internal_count')
    ? numbersOf(block, 'internal_count', where, nSplit)
    : undefined;
  const nCat = Number(block.get('num_cat') ?? 0);
  const boundaries = nCat > 0 ? numbersOf(block, 'cat_boundaries', where, nCat + 1) : [];
  const words = nCat > 0 ? numbersOf(block, 'cat_threshold', where, boundaries[nCat] ?? 0) : [];

  const nodeOf = (c: number) => (c < 0 ? nSplit + ~c : c);
  const tree: TreeNodes = {
    left: new Array(n).fill(-1),
    right: new Array(n).fill(-1),
    feature: new Array(n).fill(-1),
    threshold: new Array(n).fill(0),
    categories: new Array(n).fill(null),
    defaultLeft: new Array(n).fill(false),
    value: new Array(n).fill(0),
    cover: new Array(n).fill(0),
    zeroAsMissing: new Array(n).fill(false),
  };
  for (let k = 0; k < nLeaves; k++) {
    tree.value[nSplit + k] = leafValue[k] * scale;
    tree.cover[nSplit + k] = leafCount[k];
  }
  for (let i = 0; i < nSplit; i++) {
    const at = `${where} node ${i}`;
    const left = nodeOf(leftRaw[i]);
    const right = nodeOf(rightRaw[i]);
    for (const [name, c] of [
      ['left', leftRaw[i]],
      ['right', rightRaw[i]],
    ] as const) {
      // A split's children are later splits (LightGBM numbers splits in creation order) or leaves.
      if (!Number.isInteger(c) || c >= nSplit || ~c >= nLeaves || (c >= 0 && c <= i)) {
        bad(at, `${name} child ${c} out of range`, c);
      }
    }
    tree.feature[i] = feature[i];
    const type = decision[i];
    const missing = (type >> 2) & 3;
    if (missing === 3) bad(at, `decision_type ${type} has an unknown missing type`, type);
    if (type & 1) {
      const idx = threshold[i];
      if (!Number.isInteger(idx) || idx < 0 || idx >= nCat)
        bad(at, `categorical threshold ${idx} is not a bitset index < ${nCat}`, idx);
      const cats: number[] = [];
      for (let w = boundaries[idx]; w < boundaries[idx + 1]; w++) {
        for (let b = 0; b < 32; b++) if ((words[w] >>> b) & 1) cats.push((w - boundaries[idx]) * 32 + b);
      }
      tree.categories[i] = cats;
      tree.left[i] = right;
      tree.right[i] = left;
      tree.defaultLeft[i] = true;
    } else {
      tree.left[i] = left;
      tree.right[i] = right;
      tree.threshold[i] = nextUp(threshold[i]);
      tree.defaultLeft[i] = missing === 0 ? 0 <= threshold[i] : (type & 2) !== 0;
      tree.zeroAsMissing![i] = missing === 1;
    }
  }
  if (internalCount) for (let i = 0; i < nSplit; i++) tree.cover[i] = internalCount[i];
  else if (nSplit > 0) {
    // No internal counts in the file: sum the leaf counts upwards.
    const sumUp = (i: number): number => {
      if (tree.left[i] !== -1) tree.cover[i] = sumUp(tree.left[i]) + sumUp(tree.right[i]);
      return tree.cover[i];
    };
    sumUp(0);
  }
  return tree;
}

/** Reads the text of a LightGBM model; throws `PLB_ERR_INVALID_MODEL` naming what is wrong. */
export function readLightgbmText(text: string): TreeModel {
  const lines = text.split(/\r?\n/);
  const firstTree = lines.findIndex((l) => l.startsWith('Tree='));
  const header = parseBlock(lines.slice(0, firstTree < 0 ? lines.length : firstTree));
  const objective = header.get('objective') ?? '';
  const [objName, ...objParams] = objective.split(/\s+/);
  if (objName !== 'binary' && objName !== 'cross_entropy' && objName !== 'xentropy') {
    bad('objective', `unsupported objective "${objective}" (expected binary)`, objective);
  }
  const sigmoidParam = objParams.find((p) => p.startsWith('sigmoid:'));
  const sigmoid = sigmoidParam ? Number(sigmoidParam.slice('sigmoid:'.length)) : 1;
  if (!(sigmoid > 0)) bad('objective', `sigmoid must be > 0`, sigmoidParam);
  const perIteration = Number(header.get('num_tree_per_iteration') ?? 1);
  if (Number(header.get('num_class') ?? 1) !== 1 || perIteration !== 1) {
    bad('num_class', 'a binary model with one tree per iteration', header.get('num_class'));
  }
  const nFeatures = Number(header.get('max_feature_idx')) + 1;
  if (!Number.isInteger(nFeatures) || nFeatures < 1)
    bad('max_feature_idx', 'a non-negative integer', header.get('max_feature_idx'));
  const names = header.get('feature_names')?.split(/\s+/) ?? [];
  const infos = header.get('feature_infos')?.split(/\s+/) ?? [];

  const blocks: string[][] = [];
  let current: string[] | undefined;
  for (let i = Math.max(firstTree, 0); firstTree >= 0 && i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('end of trees')) break;
    if (line.startsWith('Tree=')) {
      current = [];
      blocks.push(current);
    } else current?.push(line);
  }
  if (blocks.length === 0) bad('trees', 'the file has no "Tree=" sections');
  const scale = header.has('average_output') ? sigmoid / blocks.length : sigmoid;
  const trees = blocks.map((b, t) => readTree(parseBlock(b), t, scale));

  const categorical = new Set<number>();
  trees.forEach((tree) => {
    tree.categories.forEach((c, i) => {
      if (c !== null) categorical.add(tree.feature[i]);
    });
  });
  const features: ModelFeature[] = Array.from({ length: nFeatures }, (_, j) => ({
    name: names[j] ?? `Column_${j}`,
    type:
      categorical.has(j) || (infos[j] !== undefined && /^-?\d+(:-?\d+)*$/.test(infos[j]))
        ? 'categorical'
        : 'numeric',
  }));
  return validateTreeModel({
    objective: 'binary:logistic',
    features,
    baseMargin: 0,
    trees,
    ...(names.length === 0 ? { positional: true } : {}),
    source: { format: 'lightgbm-text', version: header.get('version'), objective, sigmoid },
  });
}

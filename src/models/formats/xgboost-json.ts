/**
 * Reads XGBoost JSON models (`Booster.save_model('m.json')`, XGBoost 1.7 to 3.x) into a
 * `TreeModel`, keeping XGBoost's prediction semantics exactly:
 *
 * - `learner_model_param.base_score` is in probability space; the base margin is its logit,
 *   computed in float32 as XGBoost's `ProbToMargin` does. 3.1+ writes it as an array string
 *   (`"[5E-1]"`); both forms are read.
 * - Features are cast to float32 and compared with the float32 split condition: left when
 *   `float32(x) < cond`. The reader folds the cast into a float64 threshold
 *   (`float32LessThanBoundary`), so `x < threshold` in float64 is the same decision.
 * - Missing values follow `default_left`. Categorical splits (`split_type` 1) send the listed
 *   categories (`categories_nodes/segments/sizes`) right, every other code left.
 * - Leaf values are `split_conditions` of leaves; cover is `sum_hessian`. `dart` boosters
 *   have their leaf values scaled by `weight_drop`.
 *
 * Reference: xgboost/src/tree/tree_model.cc (`RegTree::SaveModel`), src/predictor/predict_fn.h.
 */
import { errors } from '../../errors.js';
import { float32LessThanBoundary } from '../float.js';
import type { ModelFeature, TreeModel, TreeNodes } from '../types.js';
import { validateTreeModel } from '../validate.js';
import { parseLenientJson } from './lenient-json.js';

type Json = Record<string, unknown>;

function bad(field: string, expected: string, value?: unknown): never {
  throw errors.invalidModel(`XGBoost model: ${field} is invalid (expected ${expected})`, [
    { field, value, expected },
  ]);
}

function obj(v: unknown, field: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) bad(field, 'an object', v);
  return v as Json;
}

function numbers(v: unknown, field: string, length?: number): number[] {
  if (!Array.isArray(v)) bad(field, 'an array of numbers', typeof v);
  if (length !== undefined && v.length !== length) bad(field, `${length} entries`, v.length);
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    out[i] = typeof x === 'boolean' ? Number(x) : (x as number);
    if (typeof out[i] !== 'number') bad(`${field}[${i}]`, 'a number', x);
  }
  return out;
}

/** Parses `base_score` in either the "5E-1" or the 3.1+ "[5E-1]" form (a vector must hold one repeated value). */
export function parseXgboostBaseScore(raw: unknown): number {
  const text = String(raw).trim();
  const parts = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1).split(',') : [text];
  const values = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  if (!values.every(Number.isFinite)) bad('learner_model_param.base_score', 'a number', raw);
  if (values.some((v) => v !== values[0])) {
    bad('learner_model_param.base_score', 'one value (per-class intercepts are not supported)', raw);
  }
  return values[0];
}

/** The logit of a probability in float32, as XGBoost's `RegLossObj::ProbToMargin`. */
function probToMargin(p: number): number {
  if (!(p > 0 && p < 1)) bad('learner_model_param.base_score', 'a probability in (0, 1)', p);
  const pf = Math.fround(p);
  return Math.fround(-Math.log(Math.fround(Math.fround(1 / pf) - 1)));
}

function readTree(raw: unknown, t: number, weight: number): TreeNodes {
  const tree = obj(raw, `trees[${t}]`);
  const at = (name: string) => `trees[${t}].${name}`;
  const leafVector = Number((tree.tree_param as Json | undefined)?.size_leaf_vector ?? 0);
  if (leafVector > 1)
    bad(
      at('tree_param.size_leaf_vector'),
      '0 or 1 (vector-leaf multi-target trees are not supported)',
      leafVector,
    );
  const left = numbers(tree.left_children, at('left_children'));
  const n = left.length;
  const right = numbers(tree.right_children, at('right_children'), n);
  const feature = numbers(tree.split_indices, at('split_indices'), n);
  const cond = numbers(tree.split_conditions, at('split_conditions'), n);
  const defaultLeft = numbers(tree.default_left, at('default_left'), n).map((d) => d !== 0);
  const cover = numbers(tree.sum_hessian, at('sum_hessian'), n).map(Math.fround);
  const splitType =
    tree.split_type === undefined
      ? new Array<number>(n).fill(0)
      : numbers(tree.split_type, at('split_type'), n);
  const categories: (number[] | null)[] = new Array(n).fill(null);
  if (Array.isArray(tree.categories_nodes) && tree.categories_nodes.length > 0) {
    const nodes = numbers(tree.categories_nodes, at('categories_nodes'));
    const segments = numbers(tree.categories_segments, at('categories_segments'), nodes.length);
    const sizes = numbers(tree.categories_sizes, at('categories_sizes'), nodes.length);
    const pool = numbers(tree.categories, at('categories'));
    nodes.forEach((node, k) => {
      if (!(node >= 0 && node < n) || segments[k] < 0 || segments[k] + sizes[k] > pool.length) {
        bad(`${at('categories_nodes')}[${k}]`, `a node in [0, ${n}) with a segment inside categories`, node);
      }
      categories[node] = pool.slice(segments[k], segments[k] + sizes[k]);
    });
  }
  const threshold = new Array<number>(n);
  const value = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const leaf = left[i] === -1;
    if (!leaf && splitType[i] === 1 && categories[i] === null) categories[i] = [];
    if (leaf) {
      right[i] = -1;
      feature[i] = -1;
      threshold[i] = 0;
      categories[i] = null;
      value[i] = Math.fround(cond[i]) * weight;
    } else {
      value[i] = 0;
      threshold[i] = categories[i] === null ? float32LessThanBoundary(Math.fround(cond[i])) : 0;
    }
  }
  return { left, right, feature, threshold, categories, defaultLeft, value, cover };
}

/** Reads the text of an XGBoost JSON model; throws `PLB_ERR_INVALID_MODEL` naming what is wrong. */
export function readXgboostJson(text: string): TreeModel {
  let root: Json;
  try {
    root = obj(parseLenientJson(text), '(root)');
  } catch (err) {
    if (err instanceof SyntaxError)
      throw errors.invalidModel(`XGBoost model: not valid JSON (${err.message})`);
    throw err;
  }
  const learner = obj(root.learner, 'learner');
  const objective = obj(learner.objective, 'learner.objective');
  const objectiveName = String(objective.name);
  const multi = objectiveName === 'multi:softprob' || objectiveName === 'multi:softmax';
  if (!multi && !['binary:logistic', 'binary:logitraw', 'reg:logistic'].includes(objectiveName)) {
    bad(
      'learner.objective.name',
      'binary:logistic or multi:softprob (other objectives are not supported)',
      objectiveName,
    );
  }
  const param = obj(learner.learner_model_param, 'learner.learner_model_param');
  const numClass = Number(param.num_class ?? 0);
  if (multi !== numClass > 1)
    bad('learner_model_param.num_class', multi ? '>= 2' : '0 or 1 (binary models)', param.num_class);
  const nFeatures = Number(param.num_feature);
  if (!Number.isInteger(nFeatures) || nFeatures < 1)
    bad('learner_model_param.num_feature', 'a positive integer', param.num_feature);
  const names = Array.isArray(learner.feature_names) ? learner.feature_names.map(String) : [];
  const types = Array.isArray(learner.feature_types) ? learner.feature_types.map(String) : [];
  if (names.length !== 0 && names.length !== nFeatures)
    bad('learner.feature_names', `${nFeatures} names`, names.length);
  const features: ModelFeature[] = [];
  for (let j = 0; j < nFeatures; j++) {
    features.push({ name: names[j] ?? `f${j}`, type: types[j] === 'c' ? 'categorical' : 'numeric' });
  }

  const booster = obj(learner.gradient_booster, 'learner.gradient_booster');
  const boosterName = String(booster.name);
  let model: Json;
  let weights: number[] | undefined;
  if (boosterName === 'gbtree') model = obj(booster.model, 'gradient_booster.model');
  else if (boosterName === 'dart') {
    model = obj(obj(booster.gbtree, 'gradient_booster.gbtree').model, 'gradient_booster.gbtree.model');
    weights = numbers(booster.weight_drop, 'gradient_booster.weight_drop');
  } else bad('learner.gradient_booster.name', 'gbtree or dart (gblinear has no trees)', boosterName);
  if (!Array.isArray(model.trees)) bad('gradient_booster.model.trees', 'an array');
  const trees = model.trees.map((tree, t) => readTree(tree, t, weights ? Math.fround(weights[t] ?? 1) : 1));

  const version = Array.isArray(root.version) ? root.version.join('.') : undefined;
  // Multiclass: softmax's ProbToMargin is the identity, so base_score is the margin itself.
  const baseScore = parseXgboostBaseScore(param.base_score);
  const classes = multi
    ? { numClass, treeClass: numbers(model.tree_info, 'gradient_booster.model.tree_info', trees.length) }
    : {};
  return validateTreeModel({
    objective: multi ? 'multi:softprob' : 'binary:logistic',
    ...classes,
    features,
    baseMargin: multi ? Math.fround(baseScore) : probToMargin(baseScore),
    trees,
    ...(names.length === 0 ? { positional: true } : {}),
    source: {
      format: 'xgboost-json',
      xgboostVersion: version,
      objective: objectiveName,
      booster: boosterName,
    },
  });
}

/*
 * Note for engineer G (trainer): engineer F added optional, backwards-compatible fields here:
 * `TreeNodes.zeroAsMissing` (LightGBM's missing type "Zero") and `TreeModel.positional`
 * (the reader made the feature names up; match input columns by position). The trainer can ignore both.
 * Multiclass (XGBoost `multi:softprob`/`multi:softmax`): `objective: 'multi:softprob'` with `numClass`
 * and `treeClass` (the class each tree adds to); the binary fields and conventions are unchanged.
 */
/**
 * The in-memory tree-ensemble model every format is read into and the
 * embedded trainer writes out. It is also the native file format
 * (`plumbline-gbdt`, JSON) once serialised with its `format` header.
 *
 * Conventions (shared by every reader, the trainer, prediction and SHAP):
 * - margin = baseMargin + Σ leaf values; probability = 1 / (1 + exp(−margin)) for `binary:logistic`;
 * - numeric split: go LEFT when `x < threshold` (LightGBM's `x <= t` is stored as `x < nextUp(t)`);
 * - categorical split: the category codes in `categories[node]` go RIGHT (XGBoost's convention),
 *   every other code goes left;
 * - a missing value (NaN, null, or an unseen category) goes left when `defaultLeft[node]`, else right;
 * - `cover[node]` is the training weight that reached the node (hessian sum for XGBoost and the
 *   native trainer, data count for LightGBM); path-dependent TreeSHAP uses it.
 */

/** Type of one model input. */
export type FeatureType = 'numeric' | 'categorical';

/** One model input; categorical features list their categories, whose index is the code. */
export interface ModelFeature {
  name: string;
  type: FeatureType;
  /** Category labels; the code of a category is its index here. Only for `categorical`. */
  categories?: string[];
}

/** One tree as parallel node arrays; node 0 is the root, leaves have `left[i] === -1`. */
export interface TreeNodes {
  left: number[];
  right: number[];
  /** Index into `features` of the split feature; −1 for leaves. */
  feature: number[];
  /** Numeric split threshold (go left when x < threshold); ignored for leaves and categorical splits. */
  threshold: number[];
  /** For categorical splits: the codes that go right; null otherwise. */
  categories: (number[] | null)[];
  defaultLeft: boolean[];
  /** Leaf value in margin space (0 for internal nodes). */
  value: number[];
  /** Training weight reaching the node. */
  cover: number[];
  /** Optional (LightGBM missing type "Zero"): a value with |x| <= 1e-35 is missing at this node too. */
  zeroAsMissing?: boolean[];
}

/** A gradient-boosted tree ensemble for binary (or, optionally, multiclass) classification. */
export interface TreeModel {
  /** `multi:softprob`: one margin per class, Σ over the trees of that class; probabilities by softmax. */
  objective: 'binary:logistic' | 'multi:softprob';
  /** Number of classes; only for `multi:softprob`. */
  numClass?: number;
  /** Class index of each tree; only for `multi:softprob`. */
  treeClass?: number[];
  features: ModelFeature[];
  /** Added to the sum of leaf values (the margin of the initial prediction); for every class when multiclass. */
  baseMargin: number;
  trees: TreeNodes[];
  /** Optional: true when the file had no feature names and the reader named them `f0`, `f1`, …; inputs then match by position. */
  positional?: boolean;
  /** Where the model came from: the source format and free-form lineage (params, seed, snapshot). */
  source: { format: 'plumbline-gbdt' | 'xgboost-json' | 'lightgbm-text'; [key: string]: unknown };
}

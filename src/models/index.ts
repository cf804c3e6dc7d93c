/** Tree models: readers for every format, the compiled layout, prediction and TreeSHAP. */
export { type CompiledModel, compileModel } from './compile.js';
export { detectModelFormat, type ModelFormat, parseModel } from './formats/detect.js';
export { readLightgbmText } from './formats/lightgbm-text.js';
export { canonicalJson, modelContentHash, readNativeModel, writeNativeModel } from './formats/native.js';
export { parseXgboostBaseScore, readXgboostJson } from './formats/xgboost-json.js';
export {
  alignColumns,
  type FeatureColumns,
  predictClassMargins,
  predictClassProbabilities,
  predictMargins,
  predictProbabilities,
  predictRow,
  sigmoid,
} from './predict.js';
export { type InterventionalOptions, interventionalShap } from './shap/interventional.js';
export {
  createShapExplainer,
  type ShapExplainer,
  type ShapValues,
  type TreeShapOptions,
  treeShap,
} from './shap/linear.js';
export { pathDependentShap } from './shap/path-dependent.js';
export type { FeatureType, ModelFeature, TreeModel, TreeNodes } from './types.js';
export { validateTreeModel } from './validate.js';

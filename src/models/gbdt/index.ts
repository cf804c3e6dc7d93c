/** The embedded gradient-boosting trainer: `trainGbdt` and its option/result types. */
export type { FeatureBinning, FeatureColumn } from './binning.js';
export {
  type GbdtDataset,
  type GbdtOptions,
  type GbdtResult,
  type IterationInfo,
  trainGbdt,
} from './train.js';

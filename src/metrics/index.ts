/** `plumbline/metrics`: classification metrics as scikit-learn computes them, with confidence intervals. */

export * from './average-precision.js';
export * from './binary-curve.js';
export * from './brier.js';
export * from './calibration.js';
export * from './cbpe.js';
export * from './classification.js';
export * from './confusion.js';
export * from './delong.js';
export * from './evaluate.js';
export * from './labels.js';
export * from './log-loss.js';
export * from './roc-auc.js';
export * from './thresholds.js';

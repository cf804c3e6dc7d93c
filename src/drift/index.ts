/** `plumbline/drift`: per-feature drift distances, tests, null thresholds and data quality. */
export * from './detect-drift.js';
export * from './hellinger.js';
export * from './jensen-shannon.js';
export * from './null-threshold.js';
export * from './prepare.js';
export * from './psi.js';
export * from './registry.js';
export * from './wasserstein.js';

/** `plumbline/drift`: per-feature drift distances, tests, null thresholds and data quality. */
export * from './hellinger.js';
export * from './jensen-shannon.js';
export * from './psi.js';
export * from './wasserstein.js';

/** `plumbline/stats`: ranks, quantiles, tests, intervals, sketches, change detectors. */

export * from './distributions.js';
export * from './histogram.js';
export * from './insufficient-data.js';
export * from './ks.js';
export * from './missing.js';
export * from './quantile.js';
export * from './random.js';
export * from './ranks.js';
export * from './sketches/index.js';

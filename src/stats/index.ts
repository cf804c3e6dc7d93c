/** `plumbline/stats`: ranks, quantiles, tests, intervals, sketches, change detectors. */

export * from './alternative.js';
export * from './bootstrap.js';
export * from './change/index.js';
export * from './chi-square.js';
export * from './distributions.js';
export * from './fisher.js';
export * from './histogram.js';
export * from './insufficient-data.js';
export * from './ks.js';
export * from './mann-whitney.js';
export * from './missing.js';
export * from './multiple-testing.js';
export * from './quantile.js';
export * from './random.js';
export * from './ranks.js';
export * from './sketches/index.js';
export * from './sort.js';
export * from './two-proportion.js';
export * from './wilson.js';

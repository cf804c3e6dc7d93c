/** `plumbline/stats`: ranks, quantiles, tests, intervals, sketches, change detectors. */
export * from './random.js';
export * from './sketches/index.js';

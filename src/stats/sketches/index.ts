/** Mergeable, serialisable sketches: KLL quantiles, HyperLogLog distinct counts, Misra–Gries frequent items. */
export * from './frequent-items.js';
export * from './hyperloglog.js';
export * from './kll.js';
export * from './serialize.js';

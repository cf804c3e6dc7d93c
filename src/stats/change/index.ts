/** Sequential change detectors (EWMA, CUSUM, Page–Hinkley) and offline change-point location. */
export type { BaselineOptions } from './baseline.js';
export * from './change-point.js';
export * from './cusum.js';
export * from './ewma.js';
export * from './page-hinkley.js';

/** `plumbline/monitor`: windowed monitoring — signals per window, version and segment, stored as metric points. */
export type { MetricPoint, MetricPointQuery, WindowSize } from '../store/store.js';
export * from './reference-profile.js';
export * from './run-monitor.js';
export * from './segments.js';
export * from './signals.js';
export * from './smooth.js';
export * from './window-drift.js';
export * from './window-metrics.js';
export * from './windows.js';

/** Plumbline's curated public API. Subpaths: `plumbline/stats`, `plumbline/metrics`, `plumbline/drift`. */

export {
  type AlertConfig,
  type AlertInstance,
  AlertManager,
  type AlertRule,
  type AlertState,
  acknowledgeAlert,
  alertRecords,
  backtestAlerts,
  defaultRules,
  evaluateAlerts,
  type Notification,
  parseAlertConfig,
  parseAlertFile,
  summarizeAlerts,
} from './alerts/index.js';
export { type Contract, checkContract, expectFeatureParity, generateContract } from './contracts/index.js';
export type { ColumnDriftResult, DriftColumn, DriftOptions, DriftReport } from './drift/index.js';
export { detectColumnDrift, detectDrift, prepareReference } from './drift/index.js';
export * from './errors.js';
export * from './models/gbdt/index.js';
export * from './models/index.js';
export {
  type MonitorRunResult,
  type RunMonitorOptions,
  runMonitor,
  type SmoothSpec,
  smoothSeries,
} from './monitor/index.js';
export { type CheckPipelineInput, checkPipeline, type PipelineCheckResult } from './pipeline-check/index.js';
export {
  type Hypothesis,
  type RcaInput,
  type RcaOptions,
  type RcaReport,
  type RcaResult,
  type RcaWindow,
  renderRcaText,
  runRca,
} from './rca/index.js';
export { type AppOptions, buildApp } from './server/app.js';
export { createDuckDbStore, type DuckDbStoreOptions } from './store/duckdb/duckdb-store.js';
export type {
  MetricPoint,
  MetricPointQuery,
  Model,
  ModelSchema,
  ModelVersion,
  Snapshot,
  Store,
} from './store/store.js';

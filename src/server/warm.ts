/**
 * Readies a serving store for the dashboard: every model's metric points in memory (kept current by
 * the store's writes) and each model's reference profiled per feature, so that no page's first
 * view pays for a table scan. `plumbline serve` and the served demo run it in the background.
 */
import type { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { warmReferenceColumns } from './routes/feature-distribution.js';

/** Loads the metric points into memory, then profiles the reference columns. */
export async function warmDashboard(store: DuckDbStore): Promise<void> {
  await store.keepMetricPointsInMemory();
  await warmReferenceColumns(store);
}

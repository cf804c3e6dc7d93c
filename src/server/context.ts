/** What every route plugin gets from `buildApp`. */
import type { IngestService } from '../ingest/service.js';
import type { Store } from '../store/store.js';
import type { ServerMetrics } from './metrics.js';

/** Shared state of one app instance. */
export interface AppContext {
  store: Store;
  ingest: IngestService;
  metrics: ServerMetrics;
  now: () => number;
}

/** Route config keys Plumbline reads: the scope a route needs and whether it ingests. */
export interface PlumblineRouteConfig {
  scope?: 'ingest' | 'read' | 'admin';
  ingest?: 'predictions' | 'labels';
}

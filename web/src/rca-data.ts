/** The RCA pages' data (no React: the boot prefetch starts their requests). */
import { type Catalog, catalog, quiet, type Report, rcaReport, rcaReports } from './api.js';
import { DAY } from './format.js';
import type { Route } from './links.js';
import { loadTimeline } from './timeline-load.js';

const dayOf = (ms: number) => Math.floor(ms / DAY) * DAY;

/**
 * The report page's timeline span: four weeks before the baseline to two weeks after the window,
 * within the days that have metric points; null when nothing is left.
 */
export function timelineSpan(r: Report, cat: Catalog): { fromMs: number; toMs: number } | null {
  const dataFrom = cat.fromMs === null ? dayOf(r.baseline.fromMs) : dayOf(cat.fromMs);
  const dataTo = cat.toMs === null ? Math.ceil(r.window.toMs / DAY) * DAY : dayOf(cat.toMs) + DAY;
  const fromMs = Math.max(dataFrom, dayOf(r.baseline.fromMs) - 28 * DAY);
  const toMs = Math.min(dataTo, Math.ceil(r.window.toMs / DAY) * DAY + 14 * DAY);
  return toMs > fromMs ? { fromMs, toMs } : null;
}

/** A stored report; its timeline's requests start as soon as it and the catalog arrive, not after a render. */
export async function storedReport(model: string, id: string): Promise<Report> {
  const [report, cat] = await Promise.all([rcaReport(model, id), catalog(model)]);
  const span = timelineSpan(report, cat);
  if (span) loadTimeline(model, span).catch(quiet);
  return report;
}

/** Starts the requests of an RCA route: the list (and the catalog), or a stored report. */
export function prefetchRca(route: Route): void {
  const [, model, , id] = route.parts;
  if (id === undefined) {
    rcaReports(model).catch(quiet);
    catalog(model).catch(quiet);
  } else if (id !== 'run') storedReport(model, id).catch(quiet);
}

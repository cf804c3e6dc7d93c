/** The feature page's data (no React: the boot prefetch starts its requests). */
import { bulk, byMetric, distribution, type Point, quiet } from './api.js';
import { DAY, parseDay } from './format.js';
import type { Route } from './links.js';
import { modelView } from './model-data.js';

/** What the feature page shows: the model view's range, the feature and the day in the URL. */
export function featureView(route: Route) {
  const v = modelView(route);
  return {
    model: v.model,
    from: v.from,
    to: v.to,
    feature: route.parts[3],
    dayMs: parseDay(route.params.get('day')),
  };
}

/** The page's view. */
export type FeatureView = ReturnType<typeof featureView>;

const kinds = ['drift', 'missing_rate', 'new_category_rate', 'out_of_range_rate'];
const addDay = (ms: number | undefined) => (ms === undefined ? undefined : ms + DAY);

/** The feature's drift and quality series in the range, by kind (absent kinds left out). */
export async function featureSeries(v: FeatureView): Promise<Record<string, Point[]>> {
  const got = byMetric(
    await bulk(v.model, {
      metrics: kinds.map((k) => `${k}.${v.feature}`),
      window: 'day',
      fromMs: parseDay(v.from ?? null),
      toMs: addDay(parseDay(v.to ?? null)),
      detail: ['drift.'],
    }),
  );
  return Object.fromEntries(
    kinds.filter((k) => got[`${k}.${v.feature}`]).map((k) => [k, got[`${k}.${v.feature}`]]),
  );
}

/**
 * The distribution of `dayMs`, or (undefined) of the server's default, the feature's last drift
 * day: asked together with the series, not after them.
 */
export const dayDistribution = (v: FeatureView, dayMs: number | undefined) =>
  distribution(v.model, v.feature, dayMs === undefined ? undefined : { fromMs: dayMs, toMs: dayMs + DAY });

/** Whether the page can ask for its distribution before the series: the URL names the day or sets no end. */
export const distributionDay = (v: FeatureView, drift: Point[] | undefined): number | undefined =>
  v.dayMs ?? (v.to === undefined ? undefined : drift?.at(-1)?.window.startMs);

/** Starts the page's requests at once. */
export function prefetchFeature(v: FeatureView): void {
  featureSeries(v).catch(quiet);
  if (v.dayMs !== undefined || v.to === undefined) dayDistribution(v, v.dayMs).catch(quiet);
}

/**
 * Starts a route's requests as early as possible: `boot.ts` calls it before the UI code of the
 * bundle runs (and on every hash change, before React re-renders). The pages ask for the same
 * answers through the same loaders and find them in the API cache, in flight or done. No React.
 */

import { prefetchAlerts } from './alerts-data.js';
import { quiet, sendBulk, whoami } from './api.js';
import { featureView, prefetchFeature } from './feature-data.js';
import type { Route } from './links.js';
import { modelView, prefetchModel } from './model-data.js';
import { modelsHealth } from './models-data.js';
import { prefetchRca } from './rca-data.js';

/** Starts the requests of the page `route` shows (the same dispatch as the shell's `Page`). */
export function prefetchRoute(route: Route): void {
  whoami().catch(quiet);
  const [a, , c] = route.parts;
  const n = route.parts.length;
  if (a === 'models' && n >= 4 && c === 'features') prefetchFeature(featureView(route));
  else if (a === 'models' && n >= 3 && c === 'rca') prefetchRca(route);
  else if (a === 'models' && n >= 2) prefetchModel(modelView(route));
  else if (a === 'alerts') prefetchAlerts(route);
  else if (a === undefined || (a === 'models' && n === 1)) modelsHealth().catch(quiet);
  sendBulk();
}

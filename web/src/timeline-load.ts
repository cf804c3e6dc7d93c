/** The timeline's requests (no React: the model page's boot prefetch starts them). */
import { api, bulk, byKey, type Point } from './api.js';
import { type Lane, sharesOf } from './timeline-data.js';

/** Registry entry of `GET /v1/models/{model}`. */
export interface VersionInfo {
  id: string;
  stage: string;
  createdAtMs: number;
}

/** The lanes of a model over `range` (its requests are the ones the model page prefetches). */
async function loadLanes(model: string, range: { fromMs?: number; toMs?: number }): Promise<Lane[]> {
  const q = { metrics: ['throughput'], window: 'day' as const, ...range };
  // the segments table asks for the same throughput of every segment: one cached request for both
  const [segs, versions] = await Promise.all([
    bulk(model, { ...q, segment: '*' }),
    bulk(model, { ...q, segment: 'all', version: 'each' }),
  ]);
  const byTag = new Map<string, Map<string, Point[]>>();
  for (const s of segs) {
    const m = /^tags\.([^=]+)=(.*)$/.exec(s.segment);
    if (!m) continue;
    if (!byTag.has(m[1])) byTag.set(m[1], new Map());
    byTag.get(m[1])?.set(m[2], s.points);
  }
  return [['version', byKey(versions, 'version')] as const, ...byTag]
    .filter(([, counts]) => counts.size > 0)
    .map(([key, counts]) => sharesOf(key, counts));
}

/** The timeline's data: its lanes and the model's versions (pages prefetch it with their own data). */
export async function loadTimeline(
  model: string,
  range: { fromMs?: number; toMs?: number },
): Promise<{ lanes: Lane[]; versions: VersionInfo[] }> {
  const [lanes, info] = await Promise.all([
    loadLanes(model, range),
    api<{ versions: VersionInfo[] }>(`/v1/models/${encodeURIComponent(model)}`),
  ]);
  return { lanes, versions: info.versions };
}

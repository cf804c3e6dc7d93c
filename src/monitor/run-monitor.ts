/**
 * The monitor job: reads the store, computes the signals of every window touched since the last
 * pass, and writes them back as metric points. Incremental: each day window's fingerprint
 * (accepted events, stored rows, joined labels) is kept in the store's monitor state; a pass
 * recomputes only the days whose fingerprint changed (new events, or late labels, which re-open
 * their prediction's day), together with their hours. A new reference, other window sizes or
 * `full: true` recompute everything. Each run of changed days is written with replaceMetricPoints, so a
 * recomputed window loses its stale points (e.g. a segment that left the top-N). The reference
 * profile is cached in memory by reference id.
 */
import { errors } from '../errors.js';
import { type RejectState, rejectStateKey } from '../ingest/rejects.js';
import type {
  EventColumns,
  MetricPoint,
  Model,
  StageLatency,
  Store,
  TimeRange,
  WindowFingerprint,
  WindowSize,
} from '../store/store.js';
import { cohortDriftPoints, versionLatencyPoints } from './cohort-drift.js';
import {
  buildReferenceProfile,
  type ReferenceData,
  type ReferenceProfile,
  referenceFromRows,
} from './reference-profile.js';
import { rangeRows, topSegments } from './segments.js';
import { allVersionsOnly, computeWindowSignals, type SignalOptions, signalDefaults } from './signals.js';
import { checkWindowSize, sliceWindows, windowMs } from './windows.js';

/** Progress of a pass, for progress bars. */
export interface MonitorProgress {
  stage: 'reference' | 'windows' | 'done';
  /** Day windows computed so far, and to compute. */
  done: number;
  total: number;
}

/** Options of {@link runMonitor}; the signal thresholds are those of `SignalOptions`. */
export interface RunMonitorOptions extends SignalOptions {
  store: Store;
  model: string;
  /** Start of the range to monitor (rounded down to a day). Default: everything stored. */
  fromMs?: number;
  /** End of the range (exclusive, rounded up to a day). Default: everything stored. */
  toMs?: number;
  /** The current time, recorded in the monitor state (the job reads no clock). */
  nowMs: number;
  /** Window sizes to compute. Default ['hour', 'day']. */
  windows?: WindowSize[];
  /** Values per segment column reported (by volume). Default 10. */
  topN?: number;
  /** Segment columns (features or `tags.<name>`). Default: the model schema's `segments`. */
  segments?: string[];
  /** Recompute every window, ignoring the fingerprints. Default false. */
  full?: boolean;
  /** Use the stored events of this range as the reference instead of the model's reference snapshot. */
  referenceRange?: TimeRange;
  /** Reference rows given directly (overrides the snapshot and `referenceRange`). */
  reference?: ReferenceData;
  /** Days read from the store per query (bounds memory: ~100 B per row). Default 31. */
  chunkDays?: number;
  onProgress?: (p: MonitorProgress) => void;
}

const defaults = { windows: ['hour', 'day'] as WindowSize[], topN: 10, full: false, chunkDays: 31 };

/** What a pass did. */
export interface MonitorRunResult {
  model: string;
  /** The reference compared with, if any. */
  referenceId: string | null;
  /** Day windows recomputed, and left as they were. */
  daysComputed: number;
  daysSkipped: number;
  /** Metric points written. */
  points: number;
  /** Signals that could not be computed, and why. */
  notes: string[];
}

/** The state saved between passes. */
interface MonitorState {
  referenceId: string | null;
  windows: WindowSize[];
  fingerprints: Record<string, string>;
  lastRunMs: number;
}

const stateKey = 'monitor';
const DAY = windowMs.day;
const HOUR = windowMs.hour;
const profiles = new Map<string, ReferenceProfile>();

/** Drops cached reference profiles (all, or one model's). */
export function clearProfileCache(model?: string): void {
  if (model === undefined) profiles.clear();
  else for (const key of profiles.keys()) if (key.startsWith(`${model}\u0000`)) profiles.delete(key);
}

/** The model's reference profile, computed once per reference id (see RunMonitorOptions). */
export async function loadReferenceProfile(
  store: Store,
  model: Model,
  options: Pick<RunMonitorOptions, 'reference' | 'referenceRange'> = {},
): Promise<ReferenceProfile | undefined> {
  let id: string;
  let load: () => Promise<ReferenceData>;
  if (options.reference) {
    const data = options.reference;
    id = data.id;
    load = async () => data;
  } else if (options.referenceRange) {
    const r = options.referenceRange;
    id = `events:${r.fromMs}-${r.toMs}`;
    load = async () => referenceFromColumns(id, await store.queryEventColumns(model.id, r));
  } else {
    const snapshot = await store.getReference(model.id);
    if (!snapshot) return undefined;
    id = snapshot.id;
    const source = snapshot.source;
    // A snapshot of stored events is read back columnar from the events (the same rows, unless
    // events were added to that range after it was frozen); a file snapshot row by row.
    load = async () =>
      source.kind === 'events'
        ? referenceFromColumns(id, await store.queryEventColumns(model.id, source))
        : referenceFromRows(model, id, await store.querySnapshotRows(id));
  }
  const key = `${model.id}\u0000${id}`;
  let profile = profiles.get(key);
  if (!profile) {
    profile = buildReferenceProfile(model, await load());
    profiles.set(key, profile);
  }
  return profile;
}

/** Stored event columns as reference data. */
export function referenceFromColumns(id: string, c: EventColumns): ReferenceData {
  return {
    id,
    n: c.n,
    features: c.features,
    score: c.score,
    label: c.label,
    predicted: c.predicted,
    timeMs: c.timeMs,
  };
}

const fingerprintText = (f: WindowFingerprint) => `${f.events}/${f.rows}/${f.labels}`;

/** Runs one monitor pass (see the module comment) and returns what it did. */
export async function runMonitor(options: RunMonitorOptions): Promise<MonitorRunResult> {
  const o = { ...defaults, ...options };
  for (const w of o.windows) checkWindowSize(w);
  if (!Number.isInteger(o.chunkDays) || o.chunkDays < 1)
    throw new RangeError(`invalid chunkDays: ${o.chunkDays} (expected an integer >= 1)`);
  const { store } = o;
  const model = await store.getModel(o.model);
  if (!model)
    throw errors.notFound(`unknown model ${o.model}`, [
      { field: 'model', value: o.model, expected: 'a created model' },
    ]);
  const notes: string[] = [];
  o.onProgress?.({ stage: 'reference', done: 0, total: 0 });
  const profile = await loadReferenceProfile(store, model, o);
  if (!profile)
    notes.push('no reference: drift, quality, CBPE and baselines are skipped (set a reference snapshot)');
  else if (!profile.calibrator)
    notes.push('reference has no labelled scores: CBPE and metric baselines are skipped');

  const range =
    o.fromMs !== undefined || o.toMs !== undefined
      ? {
          fromMs: Math.floor((o.fromMs ?? 0) / DAY) * DAY,
          toMs: Math.ceil((o.toMs ?? 8.64e15) / DAY) * DAY,
        }
      : undefined;
  const fingerprints = await store.queryWindowFingerprints(model.id, 'day', range);
  const old = (await store.getMonitorState(model.id, stateKey)) as MonitorState | undefined;
  const referenceId = profile?.id ?? null;
  const reuse =
    !o.full &&
    old !== undefined &&
    old.referenceId === referenceId &&
    old.windows.join() === o.windows.join();
  const dirty = fingerprints.filter((f) => !reuse || old.fingerprints[f.startMs] !== fingerprintText(f));
  const hourly = await store.queryHourlyAggregates(model.id, range);
  const counts = new Map<string, number>();
  const addCount = (key: string, n: number) => counts.set(key, (counts.get(key) ?? 0) + n);
  for (const h of hourly) {
    for (const v of [h.version, '*']) {
      addCount(`hour\u0000${v}\u0000${h.hourMs}`, h.count);
      addCount(`day\u0000${v}\u0000${Math.floor(h.hourMs / DAY) * DAY}`, h.count);
    }
  }
  const segments = o.segments ?? model.schema.segments;
  const tags = segments.filter((s) => s.startsWith('tags.')).map((s) => s.slice(5));

  let points = 0;
  let done = 0;
  o.onProgress?.({ stage: 'windows', done, total: dirty.length });
  const runs = contiguousRuns(
    dirty.map((f) => f.startMs),
    o.chunkDays,
  );
  // The next run's rows are read (on DuckDB's threads) while this run's signals are computed.
  const read = (run: number[]) => {
    const chunk = { fromMs: run[0], toMs: run[run.length - 1] + DAY };
    const cols = store.queryEventColumns(model.id, chunk, { tags });
    const stages = Promise.all(o.windows.map((size) => store.queryStageLatency(model.id, size, chunk)));
    // Rejections are taken when awaited below; this only keeps an early one from going unhandled.
    Promise.all([cols, stages]).catch(() => undefined);
    return { chunk, cols, stages };
  };
  let next = runs.length > 0 ? read(runs[0]) : undefined;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r];
    const { chunk, cols: colsRead, stages } = next as ReturnType<typeof read>;
    const cols = await colsRead;
    const out: MetricPoint[] = [];
    (await stages).forEach((rows, k) => {
      out.push(...stagePoints(model.id, o.windows[k], rows));
    });
    next = r + 1 < runs.length ? read(runs[r + 1]) : undefined;
    const days = new Map(sliceWindows(cols.timeMs, 'day').map((d) => [d.startMs, d]));
    for (const dayMs of run) {
      const day = days.get(dayMs) ?? { startMs: dayMs, begin: 0, end: 0 };
      out.push(...dayPoints(model, cols, day, profile, counts, segments, o));
      o.onProgress?.({ stage: 'windows', done: ++done, total: dirty.length });
      // Let the prefetch's store calls move on between days.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    points += await store.replaceMetricPoints(model.id, chunk, out);
  }
  points += await store.insertMetricPoints(await rejectPoints(store, model.id, counts, range));
  const state: MonitorState = {
    referenceId,
    windows: o.windows,
    fingerprints: { ...(reuse ? old.fingerprints : {}) },
    lastRunMs: o.nowMs,
  };
  for (const f of fingerprints) state.fingerprints[f.startMs] = fingerprintText(f);
  await store.setMonitorState(model.id, stateKey, state);
  o.onProgress?.({ stage: 'done', done, total: dirty.length });
  return {
    model: model.id,
    referenceId,
    daysComputed: dirty.length,
    daysSkipped: fingerprints.length - dirty.length,
    points,
    notes,
  };
}

/**
 * `ingest_reject_rate` points (hour windows, version '*', segment 'all') from the reject counts the
 * ingest service keeps (src/ingest/rejects.ts): rejected / (rejected + accepted) events of the
 * hour, rejects by arrival hour and accepted events by event hour (the same for live traffic).
 * Written on every pass (they are few), after the recomputed days' points.
 */
async function rejectPoints(
  store: Store,
  model: string,
  counts: Map<string, number>,
  range: TimeRange | undefined,
): Promise<MetricPoint[]> {
  const state = (await store.getMonitorState(model, rejectStateKey)) as RejectState | undefined;
  const out: MetricPoint[] = [];
  for (const [key, rejected] of Object.entries(state?.hours ?? {})) {
    const startMs = Number(key);
    if (range && (startMs < range.fromMs || startMs >= range.toMs)) continue;
    const total = rejected + (counts.get(`hour\u0000*\u0000${startMs}`) ?? 0);
    out.push({
      model,
      version: '*',
      window: { size: 'hour', startMs },
      segment: 'all',
      metric: 'ingest_reject_rate',
      value: total > 0 ? rejected / total : 0,
      ciLow: null,
      ciHigh: null,
      n: total,
      status: 'ok',
      estimated: false,
      detail: { rejected },
    });
  }
  return out;
}

/** Per-stage latency points (`latency_p50.<stage>` …, segment 'all') from the store's SQL aggregate. */
function stagePoints(model: string, size: WindowSize, rows: StageLatency[]): MetricPoint[] {
  return rows.flatMap((r) =>
    (['p50', 'p95', 'p99'] as const).map((q) => ({
      model,
      version: r.version,
      window: { size, startMs: r.startMs },
      segment: 'all',
      metric: `latency_${q}.${r.stage}`,
      value: r[q],
      ciLow: null,
      ciHigh: null,
      n: r.n,
      status: 'ok' as const,
      estimated: false,
    })),
  );
}

/** Groups sorted day starts into runs of consecutive days, at most `max` days each. */
function contiguousRuns(days: number[], max: number): number[][] {
  const runs: number[][] = [];
  for (const d of days) {
    const last = runs[runs.length - 1];
    if (last && last.length < max && d === last[last.length - 1] + DAY) last.push(d);
    else runs.push([d]);
  }
  return runs;
}

/** Rows of [begin, end) whose version code is `code` (all rows when code is −1). */
function versionRows(cols: EventColumns, begin: number, end: number, code: number): Int32Array {
  if (code < 0) return rangeRows(begin, end);
  const out: number[] = [];
  for (let i = begin; i < end; i++) if (cols.version.codes[i] === code) out.push(i);
  return Int32Array.from(out);
}

/** Every point of one day: the day window (versions, segments) and its hours. */
function dayPoints(
  model: Model,
  cols: EventColumns,
  day: { startMs: number; begin: number; end: number },
  profile: ReferenceProfile | undefined,
  counts: Map<string, number>,
  segments: string[],
  o: typeof defaults & RunMonitorOptions,
): MetricPoint[] {
  const out: MetricPoint[] = [];
  const versions: [string, number][] = [
    ['*', -1],
    ...cols.version.dictionary.map((v, i): [string, number] => [v, i]),
  ];
  const sizes = new Set(o.windows);
  for (const size of sizes) {
    const windows =
      size === 'day'
        ? [day]
        : sliceWindows(cols.timeMs.subarray(day.begin, day.end), 'hour').map((h) => ({
            startMs: h.startMs,
            begin: day.begin + h.begin,
            end: day.begin + h.end,
          }));
    // Windows with counted events but no stored rows still report their throughput.
    const seen = new Set(windows.map((w) => w.startMs));
    for (let t = day.startMs; t < day.startMs + DAY; t += size === 'day' ? DAY : HOUR) {
      if (!seen.has(t) && counts.has(`${size}\u0000*\u0000${t}`))
        windows.push({ startMs: t, begin: 0, end: 0 });
    }
    if (size === 'hour')
      // Silent hours (no event, up to now) report throughput 0, so that absent data can fire.
      for (let t = day.startMs; t < day.startMs + DAY && t + HOUR <= o.nowMs; t += HOUR) {
        if (seen.has(t) || counts.has(`hour\u0000*\u0000${t}`)) continue;
        out.push({
          model: model.id,
          version: '*',
          window: { size, startMs: t },
          segment: 'all',
          metric: 'throughput',
          value: 0,
          ciLow: null,
          ciHigh: null,
          n: 0,
          status: 'ok',
          estimated: false,
        });
      }
    for (const w of windows) {
      let all: MetricPoint[] = [];
      for (const [version, code] of versions) {
        const rows = versionRows(cols, w.begin, w.end, code);
        const events = counts.get(`${size}\u0000${version}\u0000${w.startMs}`);
        if (rows.length === 0 && events === undefined) continue;
        // A version holding every row and every counted event of the window has the same signals as
        // '*' (the computation is deterministic and never reads the version): relabel them.
        if (
          code >= 0 &&
          rows.length > 0 &&
          rows.length === w.end - w.begin &&
          events === counts.get(`${size}\u0000*\u0000${w.startMs}`)
        ) {
          for (const p of all) if (!allVersionsOnly(p)) out.push({ ...p, version });
          continue;
        }
        const base = {
          model,
          columns: cols,
          window: { size, startMs: w.startMs },
          version,
          profile,
          options: o,
        };
        const points = computeWindowSignals({ ...base, rows, segment: 'all', events });
        out.push(...points);
        if (version !== '*') continue;
        all = points;
        if (size === 'hour')
          out.push(
            ...cohortDriftPoints({
              model,
              columns: cols,
              begin: w.begin,
              end: w.end,
              window: base.window,
              segments,
              options: { alpha: o.alpha ?? signalDefaults.alpha },
            }),
            ...versionLatencyPoints({
              model: model.id,
              columns: cols,
              begin: w.begin,
              end: w.end,
              window: base.window,
            }),
          );
        if (size !== 'day') continue;
        const segs = topSegments(cols, segments, w.begin, w.end, o.topN);
        // Bonferroni over the window's segment series and its day-tested metrics (accuracy,
        // ROC-AUC, accuracy_gap).
        const family = segs.length * 3;
        const gap = points.find((p) => p.metric === 'accuracy_gap')?.value;
        const parentGap = gap === null || gap === undefined ? {} : { parentGap: gap };
        for (const s of segs) {
          out.push(...computeWindowSignals({ ...base, rows: s.rows, segment: s.name, family, ...parentGap }));
        }
      }
    }
  }
  return out;
}

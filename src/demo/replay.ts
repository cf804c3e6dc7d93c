/**
 * Sends replayed events through Plumbline's real ingest API (`POST /v1/models/{model}/predictions`
 * and `…/labels`) in large JSON batches with several requests in flight. Predictions go in event
 * time order; each label (timestamp = departure + label delay) is sent once the replay has passed
 * its timestamp, and only after its prediction's batch was acknowledged, so at every instant of
 * the replay only labels older than the delay exist and every label finds its prediction.
 */
import type { ReplayEvents } from './incidents.js';

/** Options of {@link replayEvents}. */
export interface ReplayOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:7300`. */
  url: string;
  model: string;
  /** Feature columns to log, in order (numeric and categorical names of `events`). */
  features: string[];
  /** Positive-class probability per event. */
  scores: Float64Array;
  /** Decision threshold: prediction is '1' when score ≥ threshold. */
  threshold: number;
  /** Prefix of event ids (`<prefix><index>`). */
  idPrefix: string;
  /** Hours between an event and its label. */
  labelDelayHours: number;
  /** Events per request. Default 5000. */
  batchSize?: number;
  /** Requests in flight. Default 4. */
  concurrency?: number;
  /** Called after each acknowledged request with running totals. */
  onProgress?: (done: { predictions: number; labels: number }) => void;
}

const defaults = { batchSize: 5000, concurrency: 4 };

/** Totals of a replay. */
export interface ReplayResult {
  predictions: number;
  labels: number;
  duplicates: number;
  requests: number;
}

const HOUR_MS = 3_600_000;

/** Serialises events [start, end) as a JSON array of prediction events (hand-built for speed). */
export function predictionBatchJson(
  events: ReplayEvents,
  o: ReplayOptions,
  start: number,
  end: number,
): string {
  const quoted = new Map<string, string>();
  const q = (s: string): string => {
    let v = quoted.get(s);
    if (v === undefined) {
      v = JSON.stringify(s);
      quoted.set(s, v);
    }
    return v;
  };
  const tagJson = new Map<Record<string, string>, string>();
  const cols = o.features.map((name) => {
    const numeric = events.numeric[name];
    if (numeric) return { key: q(name), numeric, categorical: undefined };
    const categorical = events.categorical[name];
    if (!categorical) throw new TypeError(`invalid feature ${name}: not a column of the events`);
    return { key: q(name), numeric: undefined, categorical };
  });
  const stageNames = Object.keys(events.stages);
  const parts: string[] = [];
  for (let i = start; i < end; i++) {
    let f = '';
    for (let c = 0; c < cols.length; c++) {
      const col = cols[c];
      let v: string;
      if (col.numeric) {
        const x = col.numeric[i];
        v = Number.isFinite(x) ? String(x) : 'null';
      } else {
        const s = (col.categorical as (string | null)[])[i];
        v = s === null ? 'null' : q(s);
      }
      f += c === 0 ? `${col.key}:${v}` : `,${col.key}:${v}`;
    }
    let stages = '';
    for (let s = 0; s < stageNames.length; s++)
      stages += `${s === 0 ? '' : ','}"${stageNames[s]}":${round3(events.stages[stageNames[s]][i])}`;
    const tags = events.tags[i];
    let t = tagJson.get(tags);
    if (t === undefined) {
      t = JSON.stringify(tags);
      tagJson.set(tags, t);
    }
    const score = o.scores[i];
    parts.push(
      `{"eventId":"${o.idPrefix}${i}","timestamp":${events.time[i]},"version":${q(events.version[i])},"features":{${f}},"prediction":"${score >= o.threshold ? 1 : 0}","score":${score},"latencyMs":${round3(events.latencyMs[i])},"stages":{${stages}},"tags":${t}}`,
    );
  }
  return `[${parts.join(',')}]`;
}

/** Serialises the labels of events [start, end) (timestamp = event time + delay). */
export function labelBatchJson(
  events: ReplayEvents,
  idPrefix: string,
  delayMs: number,
  start: number,
  end: number,
): string {
  const parts: string[] = [];
  for (let i = start; i < end; i++)
    parts.push(
      `{"eventId":"${idPrefix}${i}","label":"${events.label[i]}","timestamp":${events.time[i] + delayMs}}`,
    );
  return `[${parts.join(',')}]`;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * POSTs a batch; retries network failures (a keep-alive socket closed under us) and 5xx up to
 * 4 times — safe, as the server deduplicates events by id and keeps the first label.
 */
async function post(url: string, body: string): Promise<{ accepted: number; duplicates: number }> {
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    } catch (err) {
      if (attempt >= 4) throw err;
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      continue;
    }
    const text = await res.text();
    if (res.ok) return JSON.parse(text);
    if (res.status < 500 || attempt >= 4)
      throw new Error(`POST ${url} answered ${res.status}: ${text.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
  }
}

/** Replays `events` (sorted by time) and their labels through the ingest API. */
export async function replayEvents(events: ReplayEvents, options: ReplayOptions): Promise<ReplayResult> {
  const o = { ...defaults, ...options };
  const delayMs = o.labelDelayHours * HOUR_MS;
  const base = `${o.url}/v1/models/${encodeURIComponent(o.model)}`;
  const result: ReplayResult = { predictions: 0, labels: 0, duplicates: 0, requests: 0 };
  const inFlight = new Set<Promise<void>>();
  // acked[b] resolves when prediction batch b is stored; labels of batch b wait for it
  const predictionBatches: Promise<void>[] = [];
  const send = async (kind: 'predictions' | 'labels', body: string, count: number): Promise<void> => {
    const r = await post(`${base}/${kind}`, body);
    result[kind] += count;
    result.duplicates += r.duplicates;
    result.requests++;
    o.onProgress?.({ predictions: result.predictions, labels: result.labels });
  };
  const launch = async (p: Promise<void>): Promise<void> => {
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= o.concurrency) await Promise.race(inFlight);
  };
  let labelled = 0;
  const sendLabelsUpTo = async (end: number): Promise<void> => {
    while (labelled < end) {
      const stop = Math.min(end, labelled + o.batchSize);
      const start = labelled;
      // wait for every prediction batch these labels refer to
      const first = Math.floor(start / o.batchSize);
      const last = Math.floor((stop - 1) / o.batchSize);
      const deps = predictionBatches.slice(first, last + 1);
      labelled = stop;
      await launch(
        Promise.all(deps).then(() =>
          send('labels', labelBatchJson(events, o.idPrefix, delayMs, start, stop), stop - start),
        ),
      );
    }
  };
  for (let start = 0; start < events.n; start += o.batchSize) {
    const end = Math.min(events.n, start + o.batchSize);
    const batch = send('predictions', predictionBatchJson(events, o, start, end), end - start);
    predictionBatches.push(batch);
    await launch(batch);
    // labels whose timestamp has passed by the last departure of this batch
    const now = events.time[end - 1];
    let due = labelled;
    while (due < end && events.time[due] + delayMs <= now) due++;
    if (due - labelled >= o.batchSize || end === events.n) await sendLabelsUpTo(due);
  }
  await sendLabelsUpTo(events.n);
  await Promise.all(inFlight);
  await Promise.all(predictionBatches);
  return result;
}

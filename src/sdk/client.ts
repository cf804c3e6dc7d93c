/**
 * The Plumbline SDK: `createClient(options)` returns a logger whose `log()` never blocks and never
 * throws into the caller. Events are queued (bounded), sent in batches by size and by time, one
 * request at a time, retried with exponential backoff and full jitter on network errors, 5xx, 408
 * and 429 (the server deduplicates by `eventId`, so retries never double-count). A batch the
 * server rejects (other 4xx) is dropped and reported through `onError`. When the server is down
 * long enough for the queue to fill, the oldest (or newest) events are dropped, counted and
 * reported through `onDrop`.
 */
import { randomUUID } from 'node:crypto';
import type {
  ErrorBody,
  LabelBatchResult,
  LabelEvent,
  PredictionBatchResult,
  PredictionEvent,
} from '../ingest/schema.js';
import { BoundedQueue } from './queue.js';

/** A prediction to log; `eventId` and `timestamp` default to a random UUID and now. */
export type LogInput = Omit<PredictionEvent, 'eventId' | 'timestamp'> &
  Partial<Pick<PredictionEvent, 'eventId' | 'timestamp'>>;

/** Options of `createClient`. */
export interface ClientOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:7300`. */
  url: string;
  /** Model id the events belong to. */
  model: string;
  /** API key with the `ingest` scope (optional on a keyless loopback server). */
  apiKey?: string;
  /** Events per request (default 500). */
  batchSize?: number;
  /** Longest time an event waits before a send starts (default 1000 ms). */
  flushIntervalMs?: number;
  /** Most events held in memory per queue (default 100 000). */
  maxQueue?: number;
  /** What to drop when the queue is full: the oldest queued event (default) or the new one. */
  dropPolicy?: 'oldest' | 'newest';
  /** First retry delay (default 100 ms); doubles per attempt up to `retryMaxMs` (default 30 s), full jitter. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Per-request timeout (default 10 s). */
  requestTimeoutMs?: number;
  /**
   * Called (at most once per send cycle) with the number of events dropped since the last call.
   * Default: a process warning (`PlumblineDropWarning`).
   */
  onDrop?: (info: { dropped: number; totalDropped: number; policy: 'oldest' | 'newest' }) => void;
  /** Called when a batch is rejected for good or a send attempt fails. */
  onError?: (err: Error & { status?: number; body?: ErrorBody; willRetry: boolean }) => void;
  /** Random source for the jitter (default `Math.random`). */
  random?: () => number;
}

const defaults = {
  batchSize: 500,
  flushIntervalMs: 1000,
  maxQueue: 100_000,
  dropPolicy: 'oldest' as 'oldest' | 'newest',
  retryBaseMs: 100,
  retryMaxMs: 30_000,
  requestTimeoutMs: 10_000,
  onDrop: ((info) => {
    process.emitWarning(
      `plumbline sdk dropped ${info.dropped} events (queue full, ${info.totalDropped} in total)`,
      'PlumblineDropWarning',
    );
  }) as ClientOptions['onDrop'],
  onError: undefined as ClientOptions['onError'],
  random: Math.random,
};

/** Counters of a client. */
export interface ClientStats {
  queued: number;
  accepted: number;
  duplicates: number;
  dropped: number;
  rejected: number;
  retries: number;
}

/** The handle `createClient` returns. */
export interface PlumblineClient {
  /** Queues a prediction; never throws, never waits. */
  log(event: LogInput): void;
  /** Queues a label; never throws, never waits. */
  logLabel(label: LabelEvent): void;
  /** Resolves once everything queued before the call is acknowledged or rejected for good. */
  flush(): Promise<void>;
  /** Flushes (waiting at most `timeoutMs`, default 10 s), then stops; returns the events left unsent. */
  close(timeoutMs?: number): Promise<number>;
  stats(): ClientStats;
}

type Options = typeof defaults & ClientOptions;

/** One endpoint's queue and sender. */
class Channel<T> {
  readonly queue: BoundedQueue<T>;
  private sending: Promise<void> | undefined;
  private droppedSinceReport = 0;
  stopped = false;
  readonly stats: ClientStats = {
    queued: 0,
    accepted: 0,
    duplicates: 0,
    dropped: 0,
    rejected: 0,
    retries: 0,
  };

  constructor(
    private readonly o: Options,
    private readonly path: string,
  ) {
    this.queue = new BoundedQueue<T>(o.maxQueue);
  }

  add(item: T): void {
    if (this.queue.push(item, this.o.dropPolicy)) {
      this.stats.dropped++;
      this.droppedSinceReport++;
    }
    if (this.queue.length >= this.o.batchSize && !this.sending) setImmediate(() => this.kick());
  }

  /** Starts a send loop unless one runs; resolves when the queue was empty at some point after the call. */
  kick(): Promise<void> {
    this.sending ??= this.loop().finally(() => {
      this.sending = undefined;
    });
    return this.sending;
  }

  private reportDrops(): void {
    if (this.droppedSinceReport === 0) return;
    const dropped = this.droppedSinceReport;
    this.droppedSinceReport = 0;
    try {
      this.o.onDrop?.({ dropped, totalDropped: this.stats.dropped, policy: this.o.dropPolicy });
    } catch {
      // A failing hook must not stop the sender.
    }
  }

  private async loop(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      this.reportDrops();
      const batch = this.queue.take(this.o.batchSize);
      await this.sendWithRetry(batch);
    }
    this.reportDrops();
  }

  private async sendWithRetry(batch: T[]): Promise<void> {
    const body = JSON.stringify(batch);
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let payload: unknown;
      try {
        const res = await fetch(`${this.o.url.replace(/\/$/, '')}${this.path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(this.o.apiKey ? { authorization: `Bearer ${this.o.apiKey}` } : {}),
          },
          body,
          signal: AbortSignal.timeout(this.o.requestTimeoutMs),
        });
        status = res.status;
        payload = await res.json().catch(() => undefined);
      } catch (err) {
        this.fail(err instanceof Error ? err.message : String(err), 0, undefined, true);
      }
      if (status >= 200 && status < 300) {
        const r = payload as Partial<PredictionBatchResult & LabelBatchResult>;
        this.stats.accepted += r.accepted ?? 0;
        this.stats.duplicates += r.duplicates ?? 0;
        return;
      }
      const retryable = status === 0 || status >= 500 || status === 408 || status === 429;
      if (!retryable) {
        this.stats.rejected += batch.length;
        this.fail(`batch rejected with ${status}`, status, payload as ErrorBody, false);
        return;
      }
      if (status !== 0) this.fail(`send failed with ${status}`, status, payload as ErrorBody, true);
      if (this.stopped) {
        this.unsent += batch.length;
        return;
      }
      this.stats.retries++;
      const cap = Math.min(this.o.retryMaxMs, this.o.retryBaseMs * 2 ** Math.min(attempt, 30));
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.o.random() * cap);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
      if (this.stopped) {
        this.unsent += batch.length;
        return;
      }
    }
  }

  /** Resolves when the current send loop (if any) has ended. */
  settled(): Promise<void> {
    return this.sending ?? Promise.resolve();
  }

  /** Events given up at close (their batch was still failing). */
  unsent = 0;
  private wake: (() => void) | undefined;

  /** Stops sending; a batch waiting for its retry gives up at once. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private fail(message: string, status: number, body: ErrorBody | undefined, willRetry: boolean): void {
    try {
      this.o.onError?.(Object.assign(new Error(message), { status, body, willRetry }));
    } catch {
      // A failing hook must not stop the sender.
    }
  }
}

/** Creates a client for one model. */
export function createClient(options: ClientOptions): PlumblineClient {
  const o: Options = { ...defaults, ...options };
  if (!(Number.isInteger(o.batchSize) && o.batchSize > 0)) {
    throw new RangeError(`invalid batchSize: ${o.batchSize} (expected a positive integer)`);
  }
  if (!(o.flushIntervalMs > 0))
    throw new RangeError(`invalid flushIntervalMs: ${o.flushIntervalMs} (expected > 0)`);
  const base = `/v1/models/${encodeURIComponent(o.model)}`;
  const predictions = new Channel<PredictionEvent>(o, `${base}/predictions`);
  const labels = new Channel<LabelEvent>(o, `${base}/labels`);
  const channels = [predictions, labels];
  const timer = setInterval(() => {
    for (const c of channels) if (c.queue.length > 0) void c.kick();
  }, o.flushIntervalMs);
  timer.unref();

  const flush = async () => {
    for (const c of channels) {
      // Two passes: a loop already running may have started before the latest events arrived.
      await c.kick();
      if (c.queue.length > 0) await c.kick();
    }
  };

  return {
    log(event) {
      try {
        if (predictions.stopped) return;
        predictions.stats.queued++;
        predictions.add({
          ...event,
          eventId: event.eventId ?? randomUUID(),
          timestamp: event.timestamp ?? Date.now(),
        } as PredictionEvent);
      } catch {
        // log() never throws into the caller.
      }
    },
    logLabel(label) {
      try {
        if (labels.stopped) return;
        labels.stats.queued++;
        labels.add(label);
      } catch {
        // logLabel() never throws into the caller.
      }
    },
    flush,
    async close(timeoutMs = 10_000) {
      clearInterval(timer);
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([flush(), new Promise((r) => (timeout = setTimeout(r, timeoutMs)))]);
      clearTimeout(timeout);
      for (const c of channels) c.stop();
      // A batch in flight finishes its current attempt (bounded by requestTimeoutMs).
      await Promise.all(channels.map((c) => c.settled()));
      return channels.reduce((n, c) => n + c.queue.length + c.unsent, 0);
    },
    stats() {
      const p = predictions.stats;
      const l = labels.stats;
      return {
        queued: p.queued + l.queued,
        accepted: p.accepted + l.accepted,
        duplicates: p.duplicates + l.duplicates,
        dropped: p.dropped + l.dropped,
        rejected: p.rejected + l.rejected,
        retries: p.retries + l.retries,
      };
    },
  };
}

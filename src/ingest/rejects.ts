/**
 * Rejected events as data the monitor can alert on: the ingest service records how many events
 * each rejected batch carried, per model and arrival hour, in the model's monitor state (key
 * `ingest_rejects`); the monitor turns them into `ingest_reject_rate` points (rejected over
 * rejected + accepted events of the hour). Writes of one model are serialised in this process
 * (read-modify-write of one small JSON value) and coalesced; hours older than `keepMs` are dropped.
 */
import type { Store } from '../store/store.js';

/** The monitor-state key of the reject counts. */
export const rejectStateKey = 'ingest_rejects';

/** Rejected events per arrival hour (hour start in epoch ms, as a string key). */
export interface RejectState {
  hours: Record<string, number>;
}

const HOUR = 3_600_000;

/** Options of {@link RejectRecorder}. */
export interface RejectRecorderOptions {
  /** Wall clock. Default Date.now. */
  now?: () => number;
  /** Hours kept. Default 31 days. */
  keepMs?: number;
}

const defaults = { now: () => Date.now(), keepMs: 31 * 24 * HOUR };

/**
 * Records rejected events per model and arrival hour (see the module comment). Counting never
 * waits for the store: counts accumulate in memory and one write per model is in flight at a time,
 * carrying everything counted meanwhile (a storm of bad batches costs a few writes, not one each).
 */
export class RejectRecorder {
  readonly #o: typeof defaults;
  /** Counts not yet written, per model and hour. */
  readonly #pending = new Map<string, Map<number, number>>();
  readonly #writing = new Map<string, Promise<void>>();

  constructor(
    readonly store: Store,
    options: RejectRecorderOptions = {},
  ) {
    this.#o = { ...defaults, ...options };
  }

  /** Adds `count` rejected events of `model` to the current hour (written in the background). */
  record(model: string, count: number): void {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`invalid count: ${count} (expected an integer ≥ 0)`);
    const hour = Math.floor(this.#o.now() / HOUR) * HOUR;
    const pending = this.#pending.get(model) ?? new Map<number, number>();
    pending.set(hour, (pending.get(hour) ?? 0) + count);
    this.#pending.set(model, pending);
    if (!this.#writing.has(model)) this.#startWrite(model);
  }

  /** Resolves when everything recorded so far is in the store. */
  async flushed(): Promise<void> {
    while (this.#writing.size > 0) await Promise.all(this.#writing.values());
  }

  #startWrite(model: string): void {
    const run = (async () => {
      while (this.#pending.get(model)?.size) {
        const batch = this.#pending.get(model) as Map<number, number>;
        this.#pending.delete(model);
        try {
          await this.#add(model, batch);
        } catch {
          // A failed count must never fail ingestion; these counts are lost.
        }
      }
    })();
    this.#writing.set(model, run);
    void run.finally(() => this.#writing.delete(model));
  }

  async #add(model: string, batch: Map<number, number>): Promise<void> {
    const now = this.#o.now();
    const old = (await this.store.getMonitorState(model, rejectStateKey)) as RejectState | undefined;
    const hours: Record<string, number> = {};
    for (const [k, v] of Object.entries(old?.hours ?? {}))
      if (Number(k) >= now - this.#o.keepMs) hours[k] = v;
    for (const [hour, count] of batch) hours[hour] = (hours[hour] ?? 0) + count;
    await this.store.setMonitorState(model, rejectStateKey, { hours } satisfies RejectState);
  }
}

/**
 * Rejected events as data the monitor can alert on: the ingest service records how many events
 * each rejected batch carried, per model and arrival hour, in the model's monitor state (key
 * `ingest_rejects`); the monitor turns them into `ingest_reject_rate` points (rejected over
 * rejected + accepted events of the hour). Writes of one model are serialised in this process
 * (read-modify-write of one small JSON value); hours older than `keepMs` are dropped.
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

/** Records rejected events per model and arrival hour (see the module comment). */
export class RejectRecorder {
  readonly #o: typeof defaults;
  readonly #queues = new Map<string, Promise<void>>();

  constructor(
    readonly store: Store,
    options: RejectRecorderOptions = {},
  ) {
    this.#o = { ...defaults, ...options };
  }

  /** Adds `count` rejected events of `model` to the current hour. */
  record(model: string, count: number): Promise<void> {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError(`invalid count: ${count} (expected an integer ≥ 0)`);
    const run = (this.#queues.get(model) ?? Promise.resolve()).then(() => this.#add(model, count));
    const tail = run.catch(() => undefined);
    this.#queues.set(model, tail);
    return run;
  }

  async #add(model: string, count: number): Promise<void> {
    const now = this.#o.now();
    const hour = Math.floor(now / HOUR) * HOUR;
    const old = (await this.store.getMonitorState(model, rejectStateKey)) as RejectState | undefined;
    const hours: Record<string, number> = {};
    for (const [k, v] of Object.entries(old?.hours ?? {}))
      if (Number(k) >= now - this.#o.keepMs) hours[k] = v;
    hours[hour] = (hours[hour] ?? 0) + count;
    await this.store.setMonitorState(model, rejectStateKey, { hours } satisfies RejectState);
  }
}

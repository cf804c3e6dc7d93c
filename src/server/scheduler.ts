/**
 * The serve loop's scheduler: every `intervalMs`, for each model, an incremental monitor pass and
 * then an alert evaluation, one model after the other (a slow model delays the next tick, never
 * overlaps it). A failing model is reported and skipped; the others still run. Time comes from an
 * injected clock, so the loop is tested without sleeping.
 */

/** Timers and time, as the scheduler uses them (the real one wraps setTimeout and Date.now). */
export interface SchedulerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The wall clock. */
export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** What one model's step did. */
export interface ModelTick {
  model: string;
  ok: boolean;
  /** The step that failed, and why. */
  failed?: { step: 'monitor' | 'evaluate'; error: unknown };
}

/** One tick: when it started, and each model's outcome. */
export interface TickResult {
  atMs: number;
  models: ModelTick[];
}

/** Options of {@link startScheduler}. */
export interface SchedulerOptions {
  /** Time between the end of a tick and the start of the next; 0 disables the scheduler. */
  intervalMs: number;
  /** The models to watch at each tick. */
  models: () => Promise<string[]>;
  /** An incremental monitor pass of one model. */
  monitor: (model: string, nowMs: number) => Promise<unknown>;
  /** The alert evaluation of one model (after its monitor pass). */
  evaluate: (model: string, nowMs: number) => Promise<unknown>;
  /** Default {@link systemClock}. */
  clock?: SchedulerClock;
  /** Run the first tick at once (default true) or after one interval. */
  immediate?: boolean;
  /** Called after every tick (logging). */
  onTick?: (result: TickResult) => void;
}

/** A running scheduler. */
export interface Scheduler {
  /** Runs one tick now (also what the timer does); ticks never overlap. */
  tick(): Promise<TickResult>;
  /** Stops the timer and waits for a tick in flight. */
  stop(): Promise<void>;
  readonly running: boolean;
}

/** Starts the loop (see the module comment); with `intervalMs` 0 it never ticks by itself. */
export function startScheduler(options: SchedulerOptions): Scheduler {
  if (!Number.isFinite(options.intervalMs) || options.intervalMs < 0)
    throw new RangeError(`invalid intervalMs: ${options.intervalMs} (expected a number of ms ≥ 0)`);
  const clock = options.clock ?? systemClock;
  let timer: unknown;
  let stopped = options.intervalMs === 0;
  let halted = false;
  let inFlight: Promise<TickResult> | undefined;

  const runTick = async (): Promise<TickResult> => {
    const atMs = clock.now();
    const result: TickResult = { atMs, models: [] };
    let models: string[] = [];
    try {
      models = await options.models();
    } catch (error) {
      result.models.push({ model: '*', ok: false, failed: { step: 'monitor', error } });
    }
    for (const model of models) {
      if (halted) break; // stop() between models: the rest waits for the next start
      try {
        await options.monitor(model, clock.now());
      } catch (error) {
        result.models.push({ model, ok: false, failed: { step: 'monitor', error } });
        continue;
      }
      try {
        await options.evaluate(model, clock.now());
        result.models.push({ model, ok: true });
      } catch (error) {
        result.models.push({ model, ok: false, failed: { step: 'evaluate', error } });
      }
    }
    options.onTick?.(result);
    return result;
  };

  const tick = (): Promise<TickResult> => {
    // One tick at a time: a call during a tick waits for it and runs after.
    const run = (inFlight ?? Promise.resolve()).then(runTick, runTick);
    inFlight = run;
    void run.finally(() => {
      if (inFlight === run) inFlight = undefined;
    });
    return run;
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      void tick().finally(() => schedule(options.intervalMs));
    }, ms);
  };
  schedule(options.immediate === false ? options.intervalMs : 0);

  return {
    tick,
    async stop() {
      stopped = true;
      halted = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await inFlight?.catch(() => undefined);
    },
    get running() {
      return !stopped;
    },
  };
}

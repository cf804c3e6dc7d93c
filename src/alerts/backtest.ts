/**
 * Backtests ("what would have fired last month"): replays stored metric points through
 * `evaluateAlerts` window by window, with `now` at each window's end, as if evaluated live. Pure.
 * The points can come all at once (`backtestAlerts`) or chunk by chunk in time order
 * (`createBacktest`, `backtestAlertsChunked`), with identical results and only a chunk in memory.
 */
import { windowMs } from '../monitor/windows.js';
import type { MetricPoint } from '../store/store.js';
import { type EvaluateAlertsArgs, emptyAlertState, evaluateAlerts } from './evaluate.js';
import { type AlertRecord, alertRecords } from './summary.js';
import type { AlertState, Notification, Transition } from './types.js';

/** Options of a backtest: the evaluation arguments and an optional range of window starts. */
export interface BacktestOptions extends Omit<EvaluateAlertsArgs, 'points' | 'now' | 'previous'> {
  /** Only windows starting at or after this time (epoch ms). Default: all. */
  fromMs?: number;
  /** Only windows starting before this time. Default: all. */
  toMs?: number;
}

/** Input of {@link backtestAlerts}. */
export interface BacktestArgs extends BacktestOptions {
  points: MetricPoint[];
}

/** Output of {@link backtestAlerts}. */
export interface BacktestResult {
  alerts: AlertRecord[];
  transitions: Transition[];
  notifications: Notification[];
  /** Evaluation steps (distinct window ends). */
  steps: number;
  state: AlertState;
}

/** A backtest fed chunk by chunk (see {@link createBacktest}). */
export interface Backtest {
  /**
   * Evaluates a chunk of points, step by step in order of window end. Every point sharing a window
   * end must come in the same chunk, and chunks in increasing order of window end (e.g. the windows
   * starting in consecutive whole-day ranges); a point ending at or before an evaluated step throws.
   */
  push(points: readonly MetricPoint[]): void;
  /** The result so far (the state after the last step). */
  finish(): BacktestResult;
}

/** Starts a backtest fed chunk by chunk; after the same points, `finish()` equals {@link backtestAlerts}. */
export function createBacktest(options: BacktestOptions): Backtest {
  const { fromMs = Number.NEGATIVE_INFINITY, toMs = Number.POSITIVE_INFINITY, ...rest } = options;
  let state: AlertState | undefined;
  let lastEnd = Number.NEGATIVE_INFINITY;
  let steps = 0;
  const transitions: Transition[] = [];
  const notifications: Notification[] = [];
  return {
    push(points) {
      const byEnd = new Map<number, MetricPoint[]>();
      for (const p of points) {
        if (p.window.startMs < fromMs || p.window.startMs >= toMs) continue;
        const end = p.window.startMs + windowMs[p.window.size];
        if (end <= lastEnd)
          throw new RangeError(
            `invalid point: ${p.metric} ${p.window.size} window at ${p.window.startMs} ends at ${end} (expected after the last evaluated window end ${lastEnd}: chunks in time order)`,
          );
        const list = byEnd.get(end);
        if (list) list.push(p);
        else byEnd.set(end, [p]);
      }
      const ends = [...byEnd.keys()].sort((a, b) => a - b);
      for (const now of ends) {
        const r = evaluateAlerts({ ...rest, points: byEnd.get(now) as MetricPoint[], previous: state, now });
        state = r.state;
        for (const t of r.transitions) transitions.push(t);
        for (const n of r.notifications) notifications.push(n);
      }
      steps += ends.length;
      if (ends.length > 0) lastEnd = ends[ends.length - 1];
    },
    finish() {
      const final = state ?? emptyAlertState();
      return { alerts: alertRecords(final), transitions, notifications, steps, state: final };
    },
  };
}

/** Replays the points in order of window end; each step sees the windows that closed at that time. */
export function backtestAlerts(args: BacktestArgs): BacktestResult {
  const { points, ...options } = args;
  const backtest = createBacktest(options);
  backtest.push(points);
  return backtest.finish();
}

/** {@link backtestAlerts} over chunks of points in time order (see {@link Backtest.push}). */
export async function backtestAlertsChunked(
  options: BacktestOptions,
  chunks: AsyncIterable<readonly MetricPoint[]> | Iterable<readonly MetricPoint[]>,
): Promise<BacktestResult> {
  const backtest = createBacktest(options);
  for await (const chunk of chunks) backtest.push(chunk);
  return backtest.finish();
}

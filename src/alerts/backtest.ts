/**
 * Backtests ("what would have fired last month"): replays stored metric points through
 * `evaluateAlerts` window by window, with `now` at each window's end, as if evaluated live. Pure.
 */
import { windowMs } from '../monitor/windows.js';
import type { MetricPoint } from '../store/store.js';
import { type EvaluateAlertsArgs, evaluateAlerts } from './evaluate.js';
import { type AlertRecord, alertRecords } from './summary.js';
import type { AlertState, Notification, Transition } from './types.js';

/** Input of {@link backtestAlerts}. */
export interface BacktestArgs extends Omit<EvaluateAlertsArgs, 'points' | 'now' | 'previous'> {
  points: MetricPoint[];
  /** Only windows starting at or after this time (epoch ms). Default: all. */
  fromMs?: number;
  /** Only windows starting before this time. Default: all. */
  toMs?: number;
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

/** Replays the points in order of window end; each step sees the windows that closed at that time. */
export function backtestAlerts(args: BacktestArgs): BacktestResult {
  const { points, fromMs = Number.NEGATIVE_INFINITY, toMs = Number.POSITIVE_INFINITY, ...rest } = args;
  const byEnd = new Map<number, MetricPoint[]>();
  for (const p of points) {
    if (p.window.startMs < fromMs || p.window.startMs >= toMs) continue;
    const end = p.window.startMs + windowMs[p.window.size];
    const list = byEnd.get(end);
    if (list) list.push(p);
    else byEnd.set(end, [p]);
  }
  let state: AlertState | undefined;
  const transitions: Transition[] = [];
  const notifications: Notification[] = [];
  const ends = [...byEnd.keys()].sort((a, b) => a - b);
  for (const now of ends) {
    const r = evaluateAlerts({ ...rest, points: byEnd.get(now) as MetricPoint[], previous: state, now });
    state = r.state;
    transitions.push(...r.transitions);
    notifications.push(...r.notifications);
  }
  const final = state ?? { version: 1 as const, alerts: {}, groups: {}, sequence: 0 };
  return { alerts: alertRecords(final), transitions, notifications, steps: ends.length, state: final };
}

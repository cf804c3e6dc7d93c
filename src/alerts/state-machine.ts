/**
 * The life cycle of one alert instance: inactive → pending → firing → resolved (→ pending …), with
 * a pending period (`for`), hysteresis (`keepFiringFor`, counted from the first window where the
 * condition cleared, as Prometheus' `keep_firing_for`; plus the condition's clearing threshold) and
 * no-data handling (an insufficient window keeps the state: it neither fires nor resolves).
 * Times are window-end times of the points. Pure.
 */
import type { Verdict } from './conditions.js';
import type { AlertInstance, AlertRule, AlertStatus, Transition } from './types.js';

const historyLimit = 50;

/** Appends to a capped list (keeps the last `limit`). */
export function pushCapped<T>(list: T[], item: T, limit = historyLimit): T[] {
  const out = [...list, item];
  return out.length > limit ? out.slice(out.length - limit) : out;
}

/** A fresh, inactive instance of a rule for one series. */
export function newAlert(
  rule: AlertRule,
  fingerprint: string,
  labels: Record<string, string>,
): AlertInstance {
  return {
    fingerprint,
    ruleId: rule.id,
    labels,
    severity: rule.severity,
    ...(rule.runbook !== undefined ? { runbook: rule.runbook } : {}),
    status: 'inactive',
    activeAtMs: null,
    firedAtMs: null,
    resolvedAtMs: null,
    lastTrueAtMs: null,
    clearSinceMs: null,
    lastWindowMs: null,
    lastOkWindowMs: null,
    insufficientRun: 0,
    evidence: null,
    ack: null,
    escalation: null,
    recent: [],
    recentAt: [],
    smoothed: null,
    detector: null,
    history: [],
    episodes: [],
    silencedBy: [],
    inhibitedBy: [],
  };
}

/** Input of {@link applyVerdict}. */
export interface ApplyVerdictArgs {
  alert: AlertInstance;
  rule: Pick<AlertRule, 'forMs' | 'keepFiringForMs' | 'severity'>;
  verdict: Verdict;
  /** Window-end time of the point. */
  atMs: number;
}

/** Applies one window's verdict; returns the new instance and its transitions (none, one or two). */
export function applyVerdict(args: ApplyVerdictArgs): { alert: AlertInstance; transitions: Transition[] } {
  const { rule, verdict, atMs } = args;
  const a: AlertInstance = { ...args.alert };
  const transitions: Transition[] = [];
  const move = (to: AlertStatus, reason: string) => {
    const t: Transition = { fingerprint: a.fingerprint, ruleId: a.ruleId, from: a.status, to, atMs, reason };
    transitions.push(t);
    a.history = pushCapped(a.history, t);
    a.status = to;
  };
  if (verdict.kind === 'insufficient') {
    a.insufficientRun++;
    return { alert: a, transitions };
  }
  a.insufficientRun = 0;
  if (verdict.holds) {
    a.lastTrueAtMs = atMs;
    a.clearSinceMs = null;
    if (a.status === 'inactive' || a.status === 'resolved') {
      a.activeAtMs = atMs;
      a.firedAtMs = null;
      a.resolvedAtMs = null;
      a.ack = null; // an acknowledgement covers one episode (an ack while pending carries into firing)
      move('pending', verdict.reason);
    }
    if (a.status === 'pending' && atMs - (a.activeAtMs as number) >= rule.forMs) {
      a.firedAtMs = atMs;
      a.escalation = null;
      a.severity = rule.severity;
      a.episodes = pushCapped(a.episodes, {
        activeAtMs: a.activeAtMs as number,
        firedAtMs: atMs,
        resolvedAtMs: null,
        acknowledgedAtMs: a.ack?.atMs ?? null,
        notifiedAtMs: null,
        escalations: [],
        severity: rule.severity,
      });
      move('firing', verdict.reason);
    }
    return { alert: a, transitions };
  }
  if (a.status === 'pending') {
    a.activeAtMs = null;
    move('inactive', `cleared before the pending period: ${verdict.reason}`);
  } else if (a.status === 'firing') {
    // As Prometheus' keep_firing_for: counted from the first evaluation where the condition cleared.
    a.clearSinceMs ??= atMs;
    if (atMs - a.clearSinceMs < rule.keepFiringForMs) return { alert: a, transitions };
    a.clearSinceMs = null;
    a.resolvedAtMs = atMs;
    a.activeAtMs = null;
    const last = a.episodes[a.episodes.length - 1];
    if (last && last.resolvedAtMs === null)
      a.episodes = [...a.episodes.slice(0, -1), { ...last, resolvedAtMs: atMs }];
    move('resolved', verdict.reason);
  }
  return { alert: a, transitions };
}

/**
 * Ends a pending or firing alert whose series stopped reporting (see evaluateAlerts): pending goes
 * back to inactive, firing resolves at `atMs` and its episode closes.
 */
export function expireAlert(
  alert: AlertInstance,
  atMs: number,
  reason: string,
): { alert: AlertInstance; transitions: Transition[] } {
  const a: AlertInstance = { ...alert, activeAtMs: null, clearSinceMs: null };
  const to: AlertStatus = alert.status === 'firing' ? 'resolved' : 'inactive';
  const t: Transition = {
    fingerprint: a.fingerprint,
    ruleId: a.ruleId,
    from: alert.status,
    to,
    atMs,
    reason,
  };
  a.status = to;
  a.history = pushCapped(a.history, t);
  if (to === 'resolved') {
    a.resolvedAtMs = atMs;
    const last = a.episodes[a.episodes.length - 1];
    if (last && last.resolvedAtMs === null)
      a.episodes = [...a.episodes.slice(0, -1), { ...last, resolvedAtMs: atMs }];
  }
  return { alert: a, transitions: [t] };
}

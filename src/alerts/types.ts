/**
 * The alert data model: rules (what to watch and when to fire), alert instances (one per rule and
 * series, keyed by fingerprint), silences, inhibit rules, escalation policies, grouping and the
 * notifications `evaluateAlerts` produces. Everything here is plain JSON so that state survives a
 * restart through the store.
 */
import type { WindowSize } from '../store/store.js';

//// Rules ////

/** How loud an alert is. */
export type Severity = 'info' | 'warning' | 'critical';

/** Comparison operators of thresholds. */
export type Comparison = '>' | '>=' | '<' | '<=';

/**
 * When a window's value is bad:
 * - `threshold`: `value op value` (e.g. `latency_p99 > 800`); `clear` adds hysteresis: once firing,
 *   the alert only clears when the value is back across `clear` (e.g. fire above 0.2, clear below 0.15).
 * - `relative`: `value op baseline × factor`, the baseline being the point's reference value
 *   (`reference`) or the median of the previous `windows` ok values of the series (`trailing`);
 *   `clearFactor` is the hysteresis factor.
 * - `significant`: the interval excludes the baseline (`down`: ciHigh < baseline, `up`: ciLow >
 *   baseline, `any`: either); without an interval, the point's `significant` flag (the drift test's
 *   calibrated, material verdict), checked against the direction when a baseline is known.
 * - `cusum` / `ewma`: a sequential control chart over the (smoothed) series (`src/stats/change`),
 *   firing while it alarms on the given side.
 */
export type Condition =
  | { kind: 'threshold'; op: Comparison; value: number; clear?: number }
  | {
      kind: 'relative';
      op: Comparison;
      factor: number;
      baseline: 'reference' | 'trailing';
      /** Trailing windows of the median (baseline `trailing`). Default 24. */
      windows?: number;
      /**
       * Seasonal period in windows (e.g. 24 on hour windows): the trailing median is then taken over
       * the values one, two, … `windows` periods back (same hour of day), so daily cycles do not fire.
       */
      season?: number;
      /** A trailing baseline smaller than this (in absolute value) gives no verdict (e.g. a few night-time events). */
      minBaseline?: number;
      clearFactor?: number;
    }
  | { kind: 'significant'; direction: 'down' | 'up' | 'any' }
  | { kind: 'cusum'; direction: 'down' | 'up' | 'any'; k?: number; h?: number; warmup?: number }
  | { kind: 'ewma'; direction: 'down' | 'up' | 'any'; lambda?: number; L?: number; warmup?: number };

/** Smoothing of the series before the condition: EWMA with weight `alpha`, or a rolling mean of `windows`. */
export type Smoothing = { kind: 'ewma'; alpha: number } | { kind: 'rolling'; windows: number };

/** One alert rule (validated; durations in milliseconds). */
export interface AlertRule {
  /** Unique id (also the `alertname` label). */
  id: string;
  /** Model id. */
  model: string;
  /** What the rule watches, for grouping and inhibition (`performance`, `feature_drift`, `data_quality`, …). */
  kind: string;
  /** Metric name patterns (`*` matches any run of characters, e.g. `drift.*`). */
  metrics: string[];
  /** Version: undefined for every series, else the exact version id ('*' is the all-versions series). */
  version?: string;
  /** Segment pattern: undefined for every segment, 'all' for model-wide, or a glob like `origin=*`. */
  segment?: string;
  window: WindowSize;
  condition: Condition;
  smoothing?: Smoothing;
  /** Fewest rows behind a point for a verdict; below, the point is `insufficient_data`. */
  minSamples: number;
  /** Pending period: the condition must hold this long (window-end time) before firing. */
  forMs: number;
  /** Hysteresis: keep firing this long after the condition last held. */
  keepFiringForMs: number;
  severity: Severity;
  runbook?: string;
  /** Extra labels for routing. */
  labels: Record<string, string>;
  /** Escalation policy id (default: the `default` policy when configured). */
  escalation?: string;
}

//// Matchers, silences, inhibition ////

/** A label matcher, as Alertmanager's: `=`, `!=`, `=~` (anchored regex), `!~`. */
export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A silence: alerts matching every matcher send no notification between `startsAtMs` and `endsAtMs`. */
export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAtMs: number;
  endsAtMs: number;
  createdBy: string;
  comment: string;
}

/** A firing source alert mutes firing target alerts whose `equal` labels have the same values. */
export interface InhibitRule {
  source: Matcher[];
  target: Matcher[];
  equal: string[];
}

//// Escalation and grouping ////

/** One escalation level: who is told, and how long before moving up if nobody acknowledges. */
export interface EscalationLevel {
  targets: string[];
  /** Time at this level before the next one; undefined on the last level. */
  timeoutMs?: number;
}

/** Ordered escalation levels. */
export interface EscalationPolicy {
  id: string;
  levels: EscalationLevel[];
}

/** Grouping as Alertmanager's route: alerts with equal `groupBy` labels share notifications. */
export interface GroupingOptions {
  /** Labels that make a group. Default ['model', 'alertname']. */
  groupBy?: string[];
  /** Wait before the first notification of a new group (collects a storm into one). Default 30 s. */
  groupWaitMs?: number;
  /** Least time between notifications of a group whose alerts changed. Default 5 min. */
  groupIntervalMs?: number;
  /** Resend an unchanged firing group after this long. Default 4 h. */
  repeatIntervalMs?: number;
  /** Targets of group notifications when no escalation policy applies. Default ['log']. */
  receivers?: string[];
}

//// Alert state ////

/** Life-cycle state of an alert instance (`inactive`: watched, never or no longer pending). */
export type AlertStatus = 'inactive' | 'pending' | 'firing' | 'resolved';

/** The point that drove the last verdict. */
export interface Evidence {
  windowStartMs: number;
  value: number | null;
  /** The value the condition saw (after smoothing). */
  smoothed: number | null;
  baseline: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  n: number;
  /** What the condition compared, in words (`0.71 < 0.78 × 0.95`). */
  reason: string;
}

/** One state change. */
export interface Transition {
  fingerprint: string;
  ruleId: string;
  from: AlertStatus;
  to: AlertStatus;
  /** Window-end time of the point that caused it (or `now` for acks and escalations). */
  atMs: number;
  reason: string;
}

/** One closed firing episode (for history and backtests). */
export interface Episode {
  activeAtMs: number;
  firedAtMs: number;
  resolvedAtMs: number | null;
  acknowledgedAtMs: number | null;
  /** When a notification first carried it (null: silenced, inhibited or resolved within group wait). */
  notifiedAtMs: number | null;
  /** Escalation levels reached, with when. */
  escalations: { level: number; atMs: number }[];
  severity: Severity;
  /** Id of the RCA report run when it fired (`GET /v1/models/{model}/rca/{id}`), if any. */
  rcaId?: string;
}

/** One alert instance: a rule applied to one series (version, segment, metric). */
export interface AlertInstance {
  /** Hash of the rule id and the scope labels; also the alert id. */
  fingerprint: string;
  ruleId: string;
  labels: Record<string, string>;
  severity: Severity;
  runbook?: string;
  status: AlertStatus;
  /** Window-end time the condition started to hold (pending and firing). */
  activeAtMs: number | null;
  firedAtMs: number | null;
  resolvedAtMs: number | null;
  /** Window-end time the condition last held. */
  lastTrueAtMs: number | null;
  /** Window-end time the condition first cleared while firing (keepFiringFor runs from it). */
  clearSinceMs: number | null;
  /** Start of the last window evaluated (including insufficient ones). */
  lastWindowMs: number | null;
  /** Start of the last window that got a verdict (ok data). */
  lastOkWindowMs: number | null;
  /** Consecutive insufficient windows (no data keeps the state). */
  insufficientRun: number;
  evidence: Evidence | null;
  ack: { by: string; atMs: number; note?: string } | null;
  /** Escalation level and when it was reached (wall clock `now`), while firing. */
  escalation: { policy: string | null; level: number; sinceMs: number } | null;
  /** Recent ok raw values (trailing baselines, rolling smoothing). */
  recent: number[];
  /** Window starts of `recent`. */
  recentAt?: number[];
  /** EWMA-smoothed value. */
  smoothed: number | null;
  /** Serialised control chart (cusum/ewma conditions). */
  detector: unknown;
  /** Last 50 transitions. */
  history: Transition[];
  /** Closed episodes (last 50) plus the open one when firing. */
  episodes: Episode[];
  /** Ids of the silences muting it now, and the alerts inhibiting it. */
  silencedBy: string[];
  inhibitedBy: string[];
}

/** Group bookkeeping for notifications. */
export interface GroupState {
  key: string;
  labels: Record<string, string>;
  createdAtMs: number;
  /** Earliest time the next notification may go. */
  nextAtMs: number;
  lastNotifiedAtMs: number | null;
  /** Signature of the alerts in the last notification (fingerprint:status, sorted). */
  lastSignature: string;
  /** Fingerprints notified as firing and not yet notified as resolved. */
  notifiedFiring: string[];
}

/** Everything the alert engine keeps between evaluations. */
export interface AlertState {
  version: 1;
  alerts: Record<string, AlertInstance>;
  groups: Record<string, GroupState>;
  /** Monotonic counter of notifications (ids). */
  sequence: number;
}

/** An alert as carried by a notification. */
export interface NotifiedAlert {
  fingerprint: string;
  ruleId: string;
  status: 'firing' | 'resolved' | 'acknowledged';
  severity: Severity;
  labels: Record<string, string>;
  firedAtMs: number | null;
  resolvedAtMs: number | null;
  runbook?: string;
  evidence: Evidence | null;
  escalationLevel: number;
}

/** Why a notification goes out. */
export type NotificationReason = 'new' | 'changed' | 'repeat' | 'resolved' | 'escalated' | 'acknowledged';

/** A message to send: a group update, an escalation, an acknowledgement. */
export interface Notification {
  id: string;
  atMs: number;
  reason: NotificationReason;
  groupKey: string;
  /** `firing` while any alert in it fires. */
  status: 'firing' | 'resolved' | 'acknowledged';
  targets: string[];
  alerts: NotifiedAlert[];
}

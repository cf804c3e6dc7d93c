/**
 * What happens to firing alerts at wall-clock `now`: silences and inhibition mute them, escalation
 * moves unacknowledged ones up their policy, and grouping (Alertmanager's group_wait,
 * group_interval, repeat_interval) turns them into notifications. Pure.
 */
import { matchesAll } from './labels.js';
import { pushCapped } from './state-machine.js';
import type {
  AlertInstance,
  AlertState,
  EscalationPolicy,
  GroupingOptions,
  GroupState,
  InhibitRule,
  Notification,
  NotificationReason,
  NotifiedAlert,
  Silence,
} from './types.js';

/** Defaults of {@link GroupingOptions}. */
export const groupingDefaults: Required<GroupingOptions> = {
  groupBy: ['model', 'alertname'],
  groupWaitMs: 30_000,
  groupIntervalMs: 5 * 60_000,
  repeatIntervalMs: 24 * 3_600_000,
  receivers: ['log'],
};

/** Ids of the silences active at `now` that match the labels. */
export function silencesFor(labels: Record<string, string>, silences: Silence[], now: number): string[] {
  return silences
    .filter((s) => s.startsAtMs <= now && now < s.endsAtMs && matchesAll(labels, s.matchers))
    .map((s) => s.id);
}

/** Fingerprints of the firing alerts that inhibit `target` (Alertmanager semantics; an alert never inhibits itself). */
export function inhibitorsOf(target: AlertInstance, firing: AlertInstance[], rules: InhibitRule[]): string[] {
  const out = new Set<string>();
  for (const r of rules) {
    if (!matchesAll(target.labels, r.target)) continue;
    for (const s of firing) {
      if (s.fingerprint === target.fingerprint || !matchesAll(s.labels, r.source)) continue;
      if (r.equal.every((l) => (s.labels[l] ?? '') === (target.labels[l] ?? ''))) out.add(s.fingerprint);
    }
  }
  return [...out].sort();
}

/** True when the alert should reach people now: firing, not silenced, not inhibited. */
export const isNotifiable = (a: AlertInstance) =>
  a.status === 'firing' && a.silencedBy.length === 0 && a.inhibitedBy.length === 0;

/** The alert as a notification carries it. */
export function toNotified(a: AlertInstance, status?: NotifiedAlert['status']): NotifiedAlert {
  return {
    fingerprint: a.fingerprint,
    ruleId: a.ruleId,
    status: status ?? (a.status === 'firing' ? 'firing' : 'resolved'),
    severity: a.severity,
    labels: a.labels,
    firedAtMs: a.firedAtMs,
    resolvedAtMs: a.resolvedAtMs,
    ...(a.runbook !== undefined ? { runbook: a.runbook } : {}),
    evidence: a.evidence,
    escalationLevel: a.escalation?.level ?? 0,
  };
}

/** The policy of an alert: its rule's, else the one named `default`, else none. */
export function policyOf(
  policyId: string | undefined,
  policies: EscalationPolicy[],
): EscalationPolicy | undefined {
  return policies.find((p) => p.id === (policyId ?? 'default'));
}

/** Targets told about an alert so far: every level up to its current one, else the receivers. */
export function targetsOf(a: AlertInstance, policies: EscalationPolicy[], receivers: string[]): string[] {
  const policy = a.escalation?.policy ? policies.find((p) => p.id === a.escalation?.policy) : undefined;
  if (!policy) return receivers;
  const level = a.escalation?.level ?? 0;
  return [...new Set(policy.levels.slice(0, level + 1).flatMap((l) => l.targets))];
}

/** Key of the group an alert belongs to. */
export function groupKeyOf(labels: Record<string, string>, groupBy: string[]): string {
  return groupBy.map((l) => `${l}=${labels[l] ?? ''}`).join(',');
}

type NextId = () => string;

/**
 * Escalates an unacknowledged, notifiable firing alert whose level timed out (possibly several
 * levels when `now` jumped; each step starts when the previous one timed out). Returns the
 * escalation notifications.
 */
export function escalate(
  a: AlertInstance,
  policies: EscalationPolicy[],
  groupBy: string[],
  now: number,
  nextId: NextId,
): { alert: AlertInstance; notifications: Notification[] } {
  if (!isNotifiable(a) || a.ack || !a.escalation?.policy) return { alert: a, notifications: [] };
  const policy = policies.find((p) => p.id === a.escalation?.policy);
  if (!policy) return { alert: a, notifications: [] };
  let { level, sinceMs } = a.escalation;
  const notifications: Notification[] = [];
  let alert = a;
  for (;;) {
    const timeout = policy.levels[level]?.timeoutMs;
    if (timeout === undefined || level + 1 >= policy.levels.length || now - sinceMs < timeout) break;
    level++;
    sinceMs += timeout;
    const last = alert.episodes[alert.episodes.length - 1];
    alert = {
      ...alert,
      escalation: { policy: policy.id, level, sinceMs },
      episodes: last
        ? [
            ...alert.episodes.slice(0, -1),
            { ...last, escalations: pushCapped(last.escalations, { level, atMs: sinceMs }) },
          ]
        : alert.episodes,
    };
    notifications.push({
      id: nextId(),
      atMs: now,
      reason: 'escalated',
      groupKey: groupKeyOf(alert.labels, groupBy),
      status: 'firing',
      targets: policy.levels[level].targets,
      alerts: [toNotified(alert)],
    });
  }
  return { alert, notifications };
}

/**
 * Advances every group at `now` and returns its notifications: a new group waits `groupWaitMs`;
 * afterwards a changed group (alerts added or resolved) is notified at most every
 * `groupIntervalMs`, an unchanged firing one every `repeatIntervalMs`.
 */
export function flushGroups(
  state: AlertState,
  grouping: Required<GroupingOptions>,
  policies: EscalationPolicy[],
  now: number,
  nextId: NextId,
): Notification[] {
  const members = new Map<string, AlertInstance[]>();
  for (const a of Object.values(state.alerts)) {
    if (!isNotifiable(a)) continue;
    const key = groupKeyOf(a.labels, grouping.groupBy);
    members.set(key, [...(members.get(key) ?? []), a]);
  }
  const keys = new Set([...members.keys(), ...Object.keys(state.groups)]);
  const out: Notification[] = [];
  for (const key of [...keys].sort()) {
    const firing = (members.get(key) ?? []).sort((x, y) => x.fingerprint.localeCompare(y.fingerprint));
    let g: GroupState | undefined = state.groups[key];
    if (!g) {
      g = {
        key,
        labels: Object.fromEntries(grouping.groupBy.map((l) => [l, firing[0]?.labels[l] ?? ''])),
        createdAtMs: now,
        nextAtMs: now + grouping.groupWaitMs,
        lastNotifiedAtMs: null,
        lastSignature: '',
        notifiedFiring: [],
      };
    }
    const firingIds = new Set(firing.map((a) => a.fingerprint));
    const resolved = g.notifiedFiring
      .filter((fp) => !firingIds.has(fp))
      .map((fp) => state.alerts[fp])
      .filter((a): a is AlertInstance => a !== undefined && a.status === 'resolved');
    const signature = [...firingIds].join(',');
    if (firing.length === 0 && resolved.length === 0 && g.lastNotifiedAtMs === null) {
      delete state.groups[key];
      continue;
    }
    state.groups[key] = g;
    if (now < g.nextAtMs) continue;
    let reason: NotificationReason | null = null;
    if (signature !== g.lastSignature || resolved.length > 0)
      reason = g.lastNotifiedAtMs === null ? 'new' : firing.length === 0 ? 'resolved' : 'changed';
    else if (
      firing.length > 0 &&
      g.lastNotifiedAtMs !== null &&
      now - g.lastNotifiedAtMs >= grouping.repeatIntervalMs
    )
      reason = 'repeat';
    if (firing.length === 0 && resolved.length === 0) {
      delete state.groups[key];
      continue;
    }
    if (reason === null) continue;
    const alerts = [...firing, ...resolved];
    const targets = [...new Set(alerts.flatMap((a) => targetsOf(a, policies, grouping.receivers)))].sort();
    out.push({
      id: nextId(),
      atMs: now,
      reason,
      groupKey: key,
      status: firing.length > 0 ? 'firing' : 'resolved',
      targets,
      alerts: alerts.map((a) => toNotified(a)),
    });
    for (const a of firing) {
      const last = a.episodes[a.episodes.length - 1];
      if (last && last.notifiedAtMs === null)
        state.alerts[a.fingerprint] = {
          ...a,
          episodes: [...a.episodes.slice(0, -1), { ...last, notifiedAtMs: now }],
        };
    }
    if (firing.length === 0) delete state.groups[key];
    else
      state.groups[key] = {
        ...g,
        lastNotifiedAtMs: now,
        nextAtMs: now + grouping.groupIntervalMs,
        lastSignature: signature,
        notifiedFiring: [...firingIds],
      };
  }
  return out;
}

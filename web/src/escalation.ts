/** The alert page's escalation steps, from the alert's episodes, its policy and its notifications (no DOM). */
import type { AlertInstance, EscalationPolicy, Notification } from '../../src/alerts/types.js';

/** One escalation step of an episode: a level reached, when, and its targets (from the policy). */
export interface EscalationStep {
  firedAtMs: number;
  level: number;
  atMs: number;
  targets: string[];
  acknowledgedAtMs: number | null;
}

/**
 * The steps of the alert's episodes, newest first: level 0 when first notified (else when fired),
 * then each level reached; targets from the policy's levels, else from the notifications.
 */
export function escalationSteps(
  a: Pick<AlertInstance, 'fingerprint' | 'episodes'>,
  policy: EscalationPolicy | undefined,
  sent: Notification[],
): EscalationStep[] {
  const targetsOf = (level: number) =>
    policy?.levels[level]?.targets ??
    sent.find((n) => n.alerts.some((x) => x.fingerprint === a.fingerprint && x.escalationLevel === level))
      ?.targets ??
    [];
  const steps: EscalationStep[] = [];
  for (const e of [...a.episodes].reverse()) {
    const base = { firedAtMs: e.firedAtMs, acknowledgedAtMs: e.acknowledgedAtMs };
    steps.push({ ...base, level: 0, atMs: e.notifiedAtMs ?? e.firedAtMs, targets: targetsOf(0) });
    for (const x of e.escalations)
      if (x.level > 0) steps.push({ ...base, level: x.level, atMs: x.atMs, targets: targetsOf(x.level) });
  }
  return steps;
}

/**
 * Notification payloads (pure): the generic webhook body and its HMAC-SHA256 signature, a
 * Slack-compatible incoming-webhook message (`text` + Block Kit `blocks`) and PagerDuty Events API v2
 * events (one per alert, `dedup_key` = fingerprint).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Notification, NotifiedAlert, Severity } from '../types.js';

//// generic webhook ////

/** Header carrying `sha256=<hex>` of HMAC-SHA256(secret, `<timestamp>.<body>`). */
export const signatureHeader = 'x-plumbline-signature';
/** Header carrying the signing time in epoch seconds. */
export const timestampHeader = 'x-plumbline-timestamp';

/** The webhook body: the notification as JSON, with a format version. */
export function webhookBody(n: Notification): string {
  return JSON.stringify({ version: 1, ...n });
}

/**
 * Signs a body: `sha256=` + hex HMAC-SHA256 keyed with `secret` over `<timestamp>.<body>`. The
 * timestamp is inside the signed bytes (as Stripe and Slack do) so a captured request cannot be
 * replayed later with a fresh timestamp.
 */
export function signWebhook(body: string, secret: string, timestampSec: number): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')}`;
}

/** Checks a received signature in constant time, and that the timestamp is within `toleranceSec` of `nowSec`. */
export function verifyWebhook(args: {
  body: string;
  secret: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowSec: number;
  toleranceSec?: number;
}): boolean {
  const ts = Number(args.timestamp);
  if (!args.signature || !Number.isInteger(ts)) return false;
  if (Math.abs(args.nowSec - ts) > (args.toleranceSec ?? 300)) return false;
  const expected = Buffer.from(signWebhook(args.body, args.secret, ts));
  const got = Buffer.from(args.signature);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

//// text ////

const icon = { firing: '🔴', resolved: '✅', acknowledged: '👀' } as const;

/** One line per alert: `[critical] auc on roc_auc segment all version * — 0.71 < 0.78 × 0.95`. */
export function alertLine(a: NotifiedAlert): string {
  const l = a.labels;
  const why = a.evidence ? ` — ${a.evidence.reason}` : '';
  return `[${a.severity}] ${a.ruleId} on ${l.metric ?? '?'} segment ${l.segment ?? '?'} version ${l.version ?? '?'}${why}`;
}

/** Title of a notification: status, reason, group and count. */
export function notificationTitle(n: Notification): string {
  const what =
    n.reason === 'escalated' ? `escalated to level ${n.alerts[0]?.escalationLevel ?? '?'}` : n.reason;
  return `${icon[n.status]} ${n.status.toUpperCase()} (${what}): ${n.alerts.length} alert(s) in ${n.groupKey}`;
}

//// Slack ////

/** A Slack incoming-webhook message: fallback `text` plus header, one section per alert (max 20) and context. */
export function slackPayload(n: Notification): { text: string; blocks: unknown[] } {
  const title = notificationTitle(n);
  const shown = n.alerts.slice(0, 20);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: true } },
    ...shown.map((a) => ({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${a.status}* ${alertLine(a)}${a.runbook ? `\n_Runbook:_ ${a.runbook}` : ''}`.slice(0, 3000),
      },
    })),
  ];
  if (n.alerts.length > shown.length)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${n.alerts.length - shown.length} more` }],
    });
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `Plumbline · ${new Date(n.atMs).toISOString()} · ${n.id}` }],
  });
  return { text: `${title}\n${n.alerts.map(alertLine).join('\n')}`, blocks };
}

//// PagerDuty ////

/** PagerDuty Events v2 severities. */
const pdSeverity: Record<Severity, 'critical' | 'warning' | 'info'> = {
  critical: 'critical',
  warning: 'warning',
  info: 'info',
};

/** A PagerDuty Events API v2 event. */
export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'acknowledge' | 'resolve';
  dedup_key: string;
  payload?: {
    summary: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    source: string;
    component?: string;
    group?: string;
    class?: string;
    timestamp?: string;
    custom_details?: Record<string, unknown>;
  };
  links?: { href: string; text: string }[];
}

/**
 * The PagerDuty events of a notification, one per alert: `trigger` for firing (with payload
 * summary ≤ 1024 characters, severity, source = model, component = metric, group = segment),
 * `acknowledge` and `resolve` with the same `dedup_key` (the fingerprint).
 */
export function pagerDutyEvents(n: Notification, routingKey: string): PagerDutyEvent[] {
  return n.alerts.map((a) => {
    const action =
      a.status === 'firing' ? 'trigger' : a.status === 'acknowledged' ? 'acknowledge' : 'resolve';
    const event: PagerDutyEvent = { routing_key: routingKey, event_action: action, dedup_key: a.fingerprint };
    if (action === 'trigger') {
      event.payload = {
        summary: alertLine(a).slice(0, 1024),
        severity: pdSeverity[a.severity],
        source: `plumbline/${a.labels.model ?? 'unknown'}`,
        component: a.labels.metric,
        group: a.labels.segment,
        class: a.labels.kind,
        ...(a.firedAtMs !== null ? { timestamp: new Date(a.firedAtMs).toISOString() } : {}),
        custom_details: { labels: a.labels, evidence: a.evidence, escalationLevel: a.escalationLevel },
      };
      if (a.runbook?.startsWith('http')) event.links = [{ href: a.runbook, text: 'Runbook' }];
    }
    return event;
  });
}

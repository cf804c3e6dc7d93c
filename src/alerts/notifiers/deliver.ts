/**
 * Delivery of notifications to configured targets with `fetch` (Node 20 global): signed generic
 * webhooks, Slack incoming webhooks, PagerDuty Events v2 and the log. Retries network errors, 429
 * and 5xx with exponential backoff (`baseDelayMs × 2^attempt`); every attempt's outcome is
 * returned as a delivery record so failures are kept and visible.
 */
import type { AlertDeliveryRow } from '../../store/store.js';
import type { Notification } from '../types.js';
import {
  notificationTitle,
  pagerDutyEvents,
  signatureHeader,
  signWebhook,
  slackPayload,
  timestampHeader,
  webhookBody,
} from './payloads.js';

/** A named target notifications are routed to. */
export type NotifierConfig =
  | { name: string; type: 'webhook'; url: string; secret: string }
  | { name: string; type: 'slack'; url: string }
  | { name: string; type: 'pagerduty'; routingKey: string; url?: string }
  | { name: string; type: 'log' };

/** What happened to one notification at one target (the row the store keeps). */
export type DeliveryRecord = AlertDeliveryRow;

/** The logging side (pino's `info`/`warn` signature). */
export interface AlertLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Options of {@link deliverNotification}. */
export interface DeliveryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** First backoff delay; doubles every retry. Default 500 ms. */
  baseDelayMs?: number;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  /** Clock (epoch ms) for timestamps. Default `Date.now`. */
  now?: () => number;
  /** Waits between retries (tests inject a recorder). Default `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  logger?: AlertLogger;
}

const defaults = {
  retries: 3,
  baseDelayMs: 500,
  timeoutMs: 10_000,
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
};

/** PagerDuty's Events API v2 endpoint. */
export const pagerDutyUrl = 'https://events.pagerduty.com/v2/enqueue';

const retryable = (status: number) => status === 429 || status >= 500;

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  o: typeof defaults & DeliveryOptions,
): Promise<{ ok: boolean; attempts: number; status: number | null; error: string | null }> {
  const doFetch = o.fetch ?? fetch;
  let last: { status: number | null; error: string | null } = { status: null, error: null };
  for (let attempt = 0; attempt <= o.retries; attempt++) {
    if (attempt > 0) await o.sleep(o.baseDelayMs * 2 ** (attempt - 1));
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(o.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, attempts: attempt + 1, status: res.status, error: null };
      last = { status: res.status, error: `HTTP ${res.status}` };
      if (!retryable(res.status)) return { ok: false, attempts: attempt + 1, ...last };
    } catch (e) {
      last = { status: null, error: (e as Error).message };
    }
  }
  return { ok: false, attempts: o.retries + 1, ...last };
}

/** Sends one notification to one target; never throws (failures are records). */
export async function deliverTo(
  n: Notification,
  target: NotifierConfig,
  options: DeliveryOptions = {},
): Promise<DeliveryRecord> {
  const o = { ...defaults, ...options };
  const record = (r: { ok: boolean; attempts: number; status: number | null; error: string | null }) => ({
    notificationId: n.id,
    target: target.name,
    ...r,
    atMs: o.now(),
  });
  switch (target.type) {
    case 'log':
      o.logger?.info({ notification: n }, notificationTitle(n));
      return record({ ok: true, attempts: 1, status: null, error: null });
    case 'webhook': {
      const body = webhookBody(n);
      const ts = Math.floor(o.now() / 1000);
      return record(
        await post(
          target.url,
          body,
          { [signatureHeader]: signWebhook(body, target.secret, ts), [timestampHeader]: String(ts) },
          o,
        ),
      );
    }
    case 'slack':
      return record(await post(target.url, JSON.stringify(slackPayload(n)), {}, o));
    case 'pagerduty': {
      // One event per alert; the record fails if any event failed.
      let out = { ok: true, attempts: 0, status: null as number | null, error: null as string | null };
      for (const event of pagerDutyEvents(n, target.routingKey)) {
        const r = await post(target.url ?? pagerDutyUrl, JSON.stringify(event), {}, o);
        out = {
          ok: out.ok && r.ok,
          attempts: out.attempts + r.attempts,
          status: r.status,
          error: r.error ?? out.error,
        };
      }
      return record(out);
    }
  }
}

/**
 * Sends notifications to their targets (unknown target names are failed records, so a typo in a
 * policy is visible rather than silent) and logs failures.
 */
export async function deliverNotifications(
  notifications: Notification[],
  notifiers: NotifierConfig[],
  options: DeliveryOptions = {},
): Promise<DeliveryRecord[]> {
  const byName = new Map(notifiers.map((t) => [t.name, t]));
  const now = options.now ?? defaults.now;
  const jobs: Promise<DeliveryRecord>[] = [];
  for (const n of notifications)
    for (const name of n.targets) {
      const target = byName.get(name);
      jobs.push(
        target
          ? deliverTo(n, target, options)
          : Promise.resolve({
              notificationId: n.id,
              target: name,
              ok: false,
              attempts: 0,
              status: null,
              error: `unknown target ${JSON.stringify(name)}`,
              atMs: now(),
            }),
      );
    }
  const records = await Promise.all(jobs);
  for (const r of records) if (!r.ok) options.logger?.warn({ delivery: r }, 'alert notification failed');
  return records;
}

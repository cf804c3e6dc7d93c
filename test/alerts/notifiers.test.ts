import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../src/alerts/evaluate.js';
import { parseNotifiers, parseNotifiersFile } from '../../src/alerts/notifiers/config.js';
import { deliverNotifications, deliverTo, type NotifierConfig } from '../../src/alerts/notifiers/deliver.js';
import {
  pagerDutyEvents,
  signatureHeader,
  signWebhook,
  slackPayload,
  timestampHeader,
  verifyWebhook,
} from '../../src/alerts/notifiers/payloads.js';
import type { EscalationPolicy, Notification } from '../../src/alerts/types.js';
import { point, rule, T0 } from './helpers.js';
import { type Receiver, startReceiver } from './receiver.js';

let rx: Receiver;
beforeAll(async () => {
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
});
beforeEach(() => {
  rx.received.length = 0;
  rx.failNext(0);
});

const noWait = { groupWaitMs: 0, groupIntervalMs: 0 };
function firing(): Notification {
  const { notifications } = evaluateAlerts({
    rules: [rule({ runbook: 'https://wiki/auc' })],
    points: [point({ value: 0.6, ciLow: 0.58, ciHigh: 0.62, baseline: 0.78 })],
    now: T0 + 86_400_000,
    grouping: noWait,
  });
  return notifications[0];
}
const secret = 's3cret';
const instant = { sleep: async () => {}, now: () => T0 };

describe('payloads', () => {
  it('webhook signature: HMAC-SHA256 over "<timestamp>.<body>", verified in constant time', () => {
    const body = '{"a":1}';
    const sig = signWebhook(body, secret, 1000);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    // Known-answer: HMAC-SHA256("s3cret", "1000.{"a":1}") computed independently with `openssl dgst -sha256 -hmac`.
    expect(sig).toBe('sha256=bead79479adfd3979f56c8c8ead5b99e08e19dbc7ccaf6482d40a6250bb4ecd6');
    expect(verifyWebhook({ body, secret, signature: sig, timestamp: '1000', nowSec: 1100 })).toBe(true);
    expect(verifyWebhook({ body: '{"a":2}', secret, signature: sig, timestamp: '1000', nowSec: 1100 })).toBe(
      false,
    );
    expect(verifyWebhook({ body, secret: 'other', signature: sig, timestamp: '1000', nowSec: 1100 })).toBe(
      false,
    );
    expect(verifyWebhook({ body, secret, signature: sig, timestamp: '1001', nowSec: 1100 })).toBe(false);
    expect(verifyWebhook({ body, secret, signature: sig, timestamp: '1000', nowSec: 2000 })).toBe(false); // stale
    expect(verifyWebhook({ body, secret, signature: undefined, timestamp: '1000', nowSec: 1000 })).toBe(
      false,
    );
  });
  it('Slack: text and blocks', () => {
    const p = slackPayload(firing());
    expect(p.text).toContain('FIRING');
    expect(p.text).toContain('[critical] auc on roc_auc segment all version *');
    expect(p.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(JSON.stringify(p.blocks[1])).toContain('https://wiki/auc');
  });
  it('PagerDuty: trigger, acknowledge and resolve share the dedup key', () => {
    const n = firing();
    const [trigger] = pagerDutyEvents(n, 'rk');
    expect(trigger).toMatchObject({
      routing_key: 'rk',
      event_action: 'trigger',
      dedup_key: n.alerts[0].fingerprint,
      payload: { severity: 'critical', source: 'plumbline/m', component: 'roc_auc', group: 'all' },
      links: [{ href: 'https://wiki/auc', text: 'Runbook' }],
    });
    expect(trigger.payload?.summary.length).toBeLessThanOrEqual(1024);
    const ack = { ...n, alerts: [{ ...n.alerts[0], status: 'acknowledged' as const }] };
    const res = { ...n, alerts: [{ ...n.alerts[0], status: 'resolved' as const }] };
    expect(pagerDutyEvents(ack, 'rk')[0]).toEqual({
      routing_key: 'rk',
      event_action: 'acknowledge',
      dedup_key: n.alerts[0].fingerprint,
    });
    expect(pagerDutyEvents(res, 'rk')[0].event_action).toBe('resolve');
  });
});

describe('delivery to a real receiver', () => {
  it('signs webhooks so the receiver can verify them', async () => {
    const n = firing();
    const r = await deliverTo(n, { name: 'hook', type: 'webhook', url: `${rx.url}/hook`, secret }, instant);
    expect(r).toMatchObject({ ok: true, attempts: 1, status: 200, target: 'hook', notificationId: n.id });
    const got = rx.received[0];
    expect(got.path).toBe('/hook');
    expect(got.headers[timestampHeader]).toBe(String(Math.floor(T0 / 1000)));
    const ok = verifyWebhook({
      body: got.body,
      secret,
      signature: got.headers[signatureHeader] as string,
      timestamp: got.headers[timestampHeader] as string,
      nowSec: Math.floor(T0 / 1000),
    });
    expect(ok).toBe(true);
    expect(JSON.parse(got.body)).toMatchObject({ version: 1, id: n.id, reason: 'new', status: 'firing' });
  });

  it('retries 5xx with exponential backoff and succeeds', async () => {
    rx.failNext(2);
    const delays: number[] = [];
    const r = await deliverTo(
      firing(),
      { name: 's', type: 'slack', url: rx.url },
      {
        ...instant,
        baseDelayMs: 100,
        sleep: async (ms) => {
          delays.push(ms);
        },
      },
    );
    expect(r).toMatchObject({ ok: true, attempts: 3, status: 200 });
    expect(delays).toEqual([100, 200]);
    expect(rx.received).toHaveLength(3);
    expect(JSON.parse(rx.received[2].body).blocks.length).toBeGreaterThan(1);
  });

  it('gives up after the retries and records the failure', async () => {
    rx.failNext(10);
    const r = await deliverTo(
      firing(),
      { name: 's', type: 'slack', url: rx.url },
      { ...instant, retries: 2 },
    );
    expect(r).toMatchObject({ ok: false, attempts: 3, status: 503, error: 'HTTP 503' });
  });

  it('does not retry a 4xx other than 429', async () => {
    rx.failNext(1, 400);
    const r = await deliverTo(firing(), { name: 's', type: 'slack', url: rx.url }, instant);
    expect(r).toMatchObject({ ok: false, attempts: 1, status: 400 });
  });

  it('records network errors and unknown targets', async () => {
    const dead = await startReceiver();
    const deadUrl = dead.url;
    await dead.close();
    const records = await deliverNotifications(
      [{ ...firing(), targets: ['dead'] }],
      [{ name: 'dead', type: 'slack', url: deadUrl }],
      {
        ...instant,
        retries: 1,
      },
    );
    expect(records).toEqual([
      expect.objectContaining({ ok: false, attempts: 2, target: 'dead', status: null }),
    ]);
    const n = { ...firing(), targets: ['nobody'] };
    const unknown = await deliverNotifications([n], [], instant);
    expect(unknown[0]).toMatchObject({ ok: false, attempts: 0, error: 'unknown target "nobody"' });
  });

  it('PagerDuty events reach the configured URL; the log target logs', async () => {
    const logged: string[] = [];
    const logger = { info: (_o: object, m?: string) => logged.push(m ?? ''), warn: () => {} };
    const targets: NotifierConfig[] = [
      { name: 'pd', type: 'pagerduty', routingKey: 'rk', url: `${rx.url}/v2/enqueue` },
      { name: 'log', type: 'log' },
    ];
    const records = await deliverNotifications([{ ...firing(), targets: ['pd', 'log'] }], targets, {
      ...instant,
      logger,
    });
    expect(records.map((r) => [r.target, r.ok])).toEqual([
      ['pd', true],
      ['log', true],
    ]);
    expect(JSON.parse(rx.received[0].body)).toMatchObject({ routing_key: 'rk', event_action: 'trigger' });
    expect(logged[0]).toContain('FIRING');
  });

  it('escalation timing with an injected clock reaches the next level target', async () => {
    const policy: EscalationPolicy = {
      id: 'default',
      levels: [{ targets: ['team'], timeoutMs: 15 * 60_000 }, { targets: ['oncall'] }],
    };
    const targets: NotifierConfig[] = [
      { name: 'team', type: 'webhook', url: `${rx.url}/team`, secret },
      { name: 'oncall', type: 'webhook', url: `${rx.url}/oncall`, secret },
    ];
    const args = { rules: [rule()], escalationPolicies: [policy], grouping: noWait };
    const t = T0 + 86_400_000;
    const a = evaluateAlerts({ ...args, points: [point({ value: 0.6 })], now: t });
    await deliverNotifications(a.notifications, targets, instant);
    const b = evaluateAlerts({ ...args, points: [], previous: a.state, now: t + 14 * 60_000 });
    await deliverNotifications(b.notifications, targets, instant);
    const c = evaluateAlerts({ ...args, points: [], previous: b.state, now: t + 15 * 60_000 });
    await deliverNotifications(c.notifications, targets, instant);
    expect(rx.received.map((r) => [r.path, JSON.parse(r.body).reason])).toEqual([
      ['/team', 'new'],
      ['/oncall', 'escalated'],
    ]);
  });
});

describe('parseNotifiers', () => {
  it('reads targets, secrets from the environment', () => {
    const text = `notifiers:
  - { name: team, type: webhook, url: "https://hooks.example/x", secretEnv: HOOK_SECRET }
  - { name: chat, type: slack, url: "https://hooks.slack.com/services/T/B/X" }
  - { name: pager, type: pagerduty, routingKeyEnv: PD_KEY }
  - { name: log, type: log }
`;
    expect(parseNotifiersFile(text, { HOOK_SECRET: 'abc', PD_KEY: 'rk' })).toEqual([
      { name: 'team', type: 'webhook', url: 'https://hooks.example/x', secret: 'abc' },
      { name: 'chat', type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' },
      { name: 'pager', type: 'pagerduty', routingKey: 'rk' },
      { name: 'log', type: 'log' },
    ]);
  });
  it('names every bad field', () => {
    try {
      parseNotifiers({
        notifiers: [
          { name: 'a', type: 'webhook', url: 'ftp://x', secretEnv: 'UNSET' },
          { name: 'a', type: 'sms' },
          { type: 'log' },
        ],
      });
      throw new Error('expected an error');
    } catch (e) {
      expect((e as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual([
        'notifiers[0].url',
        'notifiers[0].secret',
        'notifiers[1].name',
        'notifiers[1].type',
        'notifiers[2].name',
      ]);
    }
  });
});

/**
 * Alert routes: list and filter alerts, show one with its history and evidence, acknowledge,
 * silences (create, list, delete), a model's rules (read, replace) and an on-demand evaluation.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { parseDuration } from '../../alerts/duration.js';
import { parseMatcher } from '../../alerts/labels.js';
import { AlertManager } from '../../alerts/manager.js';
import { parseNotifiersFile } from '../../alerts/notifiers/config.js';
import type { NotifierConfig } from '../../alerts/notifiers/deliver.js';
import type { AlertInstance, AlertStatus, EscalationPolicy, Matcher } from '../../alerts/types.js';
import { errors, type Issue } from '../../errors.js';
import { parseTimeMs, timeExpected } from '../../parse-time.js';
import type { MetricPoint, SilenceRow } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { createAlertRcaRunner } from '../rca-runner.js';
import { modelParams } from './models.js';

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

/** `include` of `GET /v1/alerts/:id`: what its page shows besides the alert, in the same answer. */
const detailQuery = {
  type: 'object',
  properties: { include: { type: 'string', pattern: '^(policy|history)(,(policy|history))*$' } },
  additionalProperties: false,
} as const;

const listQuery = {
  type: 'object',
  properties: {
    state: { type: 'string', enum: ['inactive', 'pending', 'firing', 'resolved', 'active', 'all'] },
    model: { type: 'string', minLength: 1 },
    severity: { type: 'string', enum: ['info', 'warning', 'critical'] },
    rule: { type: 'string', minLength: 1 },
    // compact=1: without history and episodes (most of a list's bytes; the alert's own route has them)
    compact: { type: 'string', enum: ['0', '1'] },
  },
  additionalProperties: false,
} as const;

const ackBody = {
  type: 'object',
  required: ['by'],
  properties: {
    by: { type: 'string', minLength: 1, maxLength: 200 },
    note: { type: 'string', maxLength: 2000 },
  },
  additionalProperties: false,
} as const;

const silenceBody = {
  type: 'object',
  required: ['matchers', 'createdBy'],
  properties: {
    matchers: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    startsAt: { anyOf: [{ type: 'string' }, { type: 'number' }] },
    endsAt: { anyOf: [{ type: 'string' }, { type: 'number' }] },
    duration: { type: 'string' },
    createdBy: { type: 'string', minLength: 1, maxLength: 200 },
    comment: { type: 'string', maxLength: 2000, default: '' },
  },
  additionalProperties: false,
} as const;

interface SilenceInput {
  matchers: string[];
  startsAt?: string | number;
  endsAt?: string | number;
  duration?: string;
  createdBy: string;
  comment: string;
}

/** The public view of an alert (the detector and series memory are internal); `rcaId` is its latest episode's RCA report. */
export function alertView(model: string, a: AlertInstance) {
  const { recent: _r, recentAt: _t, smoothed: _s, detector: _d, ...rest } = a;
  const rcaId = a.episodes.findLast((e) => e.rcaId !== undefined)?.rcaId ?? null;
  return { id: a.fingerprint, model, ...rest, rcaId };
}

const time = (v: string | number | undefined, field: string, issues: Issue[]): number | undefined => {
  if (v === undefined) return undefined;
  const ms = parseTimeMs(v);
  if (!Number.isFinite(ms)) issues.push({ field, value: v, expected: timeExpected });
  return ms;
};

/** Checks a silence request and builds the silence. */
export function checkSilence(input: SilenceInput, nowMs: number, id: string): SilenceRow {
  const issues: Issue[] = [];
  const matchers: Matcher[] = [];
  input.matchers.forEach((m, i) => {
    try {
      matchers.push(parseMatcher(m));
    } catch (e) {
      issues.push({ field: `matchers[${i}]`, value: m, expected: (e as Error).message });
    }
  });
  const startsAtMs = time(input.startsAt, 'startsAt', issues) ?? nowMs;
  let endsAtMs = time(input.endsAt, 'endsAt', issues);
  if (input.duration !== undefined) {
    const d = parseDuration(input.duration);
    if (d === undefined)
      issues.push({ field: 'duration', value: input.duration, expected: 'a duration like "2h"' });
    else if (endsAtMs !== undefined)
      issues.push({ field: 'duration', expected: 'either endsAt or duration, not both' });
    else endsAtMs = startsAtMs + d;
  }
  if (endsAtMs === undefined && issues.length === 0)
    issues.push({ field: 'endsAt', expected: 'endsAt or duration (silences expire)' });
  else if (endsAtMs !== undefined && endsAtMs <= startsAtMs)
    issues.push({
      field: 'endsAt',
      value: input.endsAt ?? input.duration,
      expected: 'a time after startsAt',
    });
  if (issues.length > 0) throw errors.invalidInput(`${issues.length} problem(s) in the silence`, issues);
  return {
    id,
    matchers,
    startsAtMs,
    endsAtMs: endsAtMs as number,
    createdBy: input.createdBy,
    comment: input.comment,
  };
}

/**
 * The notifier targets named by `$PLUMBLINE_NOTIFIERS` (a YAML/JSON file, see
 * `parseNotifiers`; secrets by environment variable). None when unset: only the log.
 */
export async function loadNotifiers(env: Record<string, string | undefined>): Promise<NotifierConfig[]> {
  const path = env.PLUMBLINE_NOTIFIERS;
  if (!path) return [];
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw errors.fileNotFound(`cannot read the notifiers file ${path}`, [
      { field: 'PLUMBLINE_NOTIFIERS', value: path, expected: 'a readable YAML or JSON file' },
    ]);
  }
  return parseNotifiersFile(text, env);
}

/** The alert manager of each app's store, so that `serve`'s scheduler shares the routes' (one queue per model). */
export const alertManagers = new WeakMap<AppContext['store'], AlertManager>();

/** Registers the alert routes. */
export function alertRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    const notifiers = await loadNotifiers(process.env);
    const manager = new AlertManager({
      store: ctx.store,
      now: ctx.now,
      logger: app.log,
      notifiers,
      onFiring: createAlertRcaRunner(ctx.store),
    });
    alertManagers.set(ctx.store, manager);
    const models = async (only?: string) =>
      only !== undefined
        ? [(await ctx.ingest.requireModel(only)).id]
        : (await ctx.store.queryModels()).map((m) => m.id);
    const find = async (id: string) => {
      for (const model of await models()) {
        const state = await manager.getState(model);
        const alert = state.alerts.alerts[id];
        if (alert) return { model, state, alert };
      }
      throw errors.notFound(`no alert ${id}`, [
        { field: 'id', value: id, expected: 'an alert id from GET /v1/alerts' },
      ]);
    };

    app.get<{
      Querystring: {
        state?: AlertStatus | 'active' | 'all';
        model?: string;
        severity?: string;
        rule?: string;
        compact?: '0' | '1';
      };
    }>(
      '/v1/alerts',
      {
        schema: { querystring: listQuery },
        config: { scope: 'read', openapi: { summary: 'List alerts (default: pending and firing)' } },
      },
      async (req) => {
        const q = req.query;
        const wanted = q.state ?? 'active';
        const out = [];
        for (const model of await models(q.model)) {
          for (const a of Object.values((await manager.getState(model)).alerts.alerts)) {
            if (
              wanted === 'active'
                ? a.status !== 'pending' && a.status !== 'firing'
                : wanted !== 'all' && a.status !== wanted
            )
              continue;
            if (q.severity && a.severity !== q.severity) continue;
            if (q.rule && a.ruleId !== q.rule) continue;
            const view = alertView(model, a);
            if (q.compact === '1') {
              const { history: _h, episodes: _e, ...summary } = view;
              out.push(summary);
            } else out.push(view);
          }
        }
        out.sort((x, y) => (y.firedAtMs ?? y.activeAtMs ?? 0) - (x.firedAtMs ?? x.activeAtMs ?? 0));
        return { alerts: out };
      },
    );

    app.get<{ Params: { id: string }; Querystring: { include?: string } }>(
      '/v1/alerts/:id',
      {
        schema: { params: idParams, querystring: detailQuery },
        config: {
          scope: 'read',
          openapi: {
            summary:
              'Show an alert: history, evidence, episodes, notifications; include=policy,history adds its escalation policy and its metric per day',
          },
        },
      },
      async (req) => {
        const { model, state, alert } = await find(req.params.id);
        const notifications = state.notifications.filter((n) =>
          n.alerts.some((a) => a.fingerprint === alert.fingerprint),
        );
        const deliveries = [];
        for (const n of notifications)
          deliveries.push(...(await ctx.store.queryAlertDeliveries({ notificationId: n.id })));
        const include = new Set((req.query.include ?? '').split(',').filter(Boolean));
        const extra: {
          policy?: EscalationPolicy | null;
          history?: Omit<MetricPoint, 'model' | 'metric' | 'segment'>[];
        } = {};
        if (include.has('policy')) {
          const policies = (await manager.getConfig(model)).escalationPolicies ?? [];
          extra.policy = policies.find((p) => p.id === (alert.escalation?.policy ?? 'default')) ?? null;
        }
        if (include.has('history')) {
          // the alert's metric per day in its segment, all versions (as GET …/metrics answers it)
          const points = await ctx.store.queryMetricPoints({
            model,
            metric: alert.labels.metric,
            segment: alert.labels.segment ?? 'all',
            window: 'day',
            version: '*',
          });
          extra.history = points.map(({ model: _m, metric: _metric, segment: _s, ...p }) => p);
        }
        return { alert: alertView(model, alert), notifications, deliveries, ...extra };
      },
    );

    app.post<{ Params: { id: string }; Body: { by: string; note?: string } }>(
      '/v1/alerts/:id/ack',
      {
        schema: { params: idParams, body: ackBody },
        config: { scope: 'admin', openapi: { summary: 'Acknowledge an alert (stops escalation)' } },
      },
      async (req) => {
        const { model } = await find(req.params.id);
        const r = await manager.acknowledge(model, req.params.id, req.body.by, req.body.note);
        return { alert: alertView(model, r.alert), deliveries: r.deliveries };
      },
    );

    app.post<{ Body: SilenceInput }>(
      '/v1/silences',
      {
        schema: { body: silenceBody },
        config: { scope: 'admin', openapi: { summary: 'Create a silence (label matchers, with expiry)' } },
      },
      async (req, reply) => {
        const silence = checkSilence(req.body, ctx.now(), randomUUID());
        await ctx.store.insertSilence(silence);
        return reply.code(201).send({ silence });
      },
    );

    app.get<{ Querystring: { expired?: 'true' | 'false' } }>(
      '/v1/silences',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: { expired: { type: 'string', enum: ['true', 'false'] } },
          },
        },
        config: {
          scope: 'read',
          openapi: { summary: 'List silences (active and pending; ?expired=true for all)' },
        },
      },
      async (req) => {
        const now = ctx.now();
        const all = await ctx.store.querySilences();
        const silences = req.query.expired === 'true' ? all : all.filter((s) => s.endsAtMs > now);
        return { silences: silences.map((s) => ({ ...s, active: s.startsAtMs <= now && now < s.endsAtMs })) };
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/v1/silences/:id',
      { schema: { params: idParams }, config: { scope: 'admin', openapi: { summary: 'Delete a silence' } } },
      async (req, reply) => {
        if (!(await ctx.store.deleteSilence(req.params.id)))
          throw errors.notFound(`no silence ${req.params.id}`, [
            { field: 'id', value: req.params.id, expected: 'a silence id from GET /v1/silences' },
          ]);
        return reply.code(204).send();
      },
    );

    app.get<{ Params: { model: string } }>(
      '/v1/models/:model/rules',
      {
        schema: { params: modelParams },
        config: { scope: 'read', openapi: { summary: "A model's alert rules (defaults until replaced)" } },
      },
      async (req) => {
        const model = await ctx.ingest.requireModel(req.params.model);
        const stored = (await ctx.store.getAlertConfig(model.id)) !== undefined;
        return {
          model: model.id,
          source: stored ? 'stored' : 'default',
          ...(await manager.getConfig(model.id)),
        };
      },
    );

    app.put<{ Params: { model: string }; Body: unknown }>(
      '/v1/models/:model/rules',
      {
        schema: { params: modelParams },
        config: {
          scope: 'admin',
          openapi: {
            summary: "Replace a model's alert rules, inhibit rules, escalation policies and grouping",
          },
        },
      },
      async (req) => {
        const model = await ctx.ingest.requireModel(req.params.model);
        return { model: model.id, source: 'stored', ...(await manager.setConfig(model.id, req.body)) };
      },
    );

    app.post<{ Params: { model: string } }>(
      '/v1/models/:model/alerts/evaluate',
      {
        schema: { params: modelParams },
        config: {
          scope: 'admin',
          openapi: { summary: "Evaluate a model's alert rules over its new metric points now" },
        },
      },
      async (req) => {
        const model = await ctx.ingest.requireModel(req.params.model);
        return manager.evaluate(model.id);
      },
    );
  };
}

/**
 * Alert rules from files (YAML or JSON) and HTTP bodies, validated with field-level issues
 * (`rules[2].for: expected a duration like "2h"`), and the default rules every model gets.
 */
import { parse as parseYaml } from 'yaml';
import { errors, type Issue } from '../errors.js';
import type { Model } from '../store/store.js';
import { parseDuration } from './duration.js';
import { parseMatcher } from './labels.js';
import type {
  AlertRule,
  Comparison,
  Condition,
  EscalationPolicy,
  GroupingOptions,
  InhibitRule,
  Matcher,
  Severity,
  Smoothing,
} from './types.js';

/** Everything an alert file may declare. */
export interface AlertConfig {
  rules: AlertRule[];
  inhibitRules: InhibitRule[];
  escalationPolicies: EscalationPolicy[];
  grouping: GroupingOptions;
}

const severities = ['info', 'warning', 'critical'];
const comparisons = ['>', '>=', '<', '<='];
const directions = ['down', 'up', 'any'];
const idPattern = /^[A-Za-z0-9_.:-]{1,128}$/;

type Obj = Record<string, unknown>;
/** True for a plain object (not null, not an array). */
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects issues while reading one untyped document. */
class Reader {
  readonly issues: Issue[] = [];
  fail(field: string, value: unknown, expected: string): undefined {
    this.issues.push({ field, value, expected });
    return undefined;
  }
  str(o: Obj, key: string, at: string, opts: { required?: boolean; pattern?: RegExp } = {}) {
    const v = o[key];
    if (v === undefined) return opts.required ? this.fail(`${at}.${key}`, v, 'a string') : undefined;
    if (typeof v !== 'string' || v === '' || (opts.pattern && !opts.pattern.test(v)))
      return this.fail(
        `${at}.${key}`,
        v,
        opts.pattern ? `a string matching ${opts.pattern}` : 'a non-empty string',
      );
    return v;
  }
  num(o: Obj, key: string, at: string, check: (x: number) => boolean, expected: string, required = false) {
    const v = o[key];
    if (v === undefined) return required ? this.fail(`${at}.${key}`, v, expected) : undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v))
      return this.fail(`${at}.${key}`, v, expected);
    return v;
  }
  oneOf<T extends string>(o: Obj, key: string, at: string, allowed: readonly string[], fallback?: T) {
    const v = o[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || !allowed.includes(v))
      return this.fail(`${at}.${key}`, v, `one of ${allowed.join(', ')}`) as T | undefined;
    return v as T;
  }
  duration(o: Obj, key: string, at: string, fallback: number) {
    const v = o[key];
    if (v === undefined) return fallback;
    const ms = parseDuration(v);
    return ms === undefined ? this.fail(`${at}.${key}`, v, 'a duration like "2h"') : ms;
  }
  matchers(v: unknown, at: string): Matcher[] {
    const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
    const out: Matcher[] = [];
    list.forEach((m, i) => {
      try {
        if (typeof m === 'string') out.push(parseMatcher(m));
        else if (isObj(m) && typeof m.name === 'string' && typeof m.value === 'string')
          out.push(parseMatcher(`${m.name}${typeof m.op === 'string' ? m.op : '='}${m.value}`));
        else this.fail(`${at}[${i}]`, m, 'a matcher like "feature=dep_delay"');
      } catch (e) {
        this.fail(`${at}[${i}]`, m, (e as Error).message);
      }
    });
    return out;
  }
}

function readCondition(r: Reader, v: unknown, at: string): Condition | undefined {
  if (!isObj(v)) return r.fail(at, v, 'an object with kind threshold, relative, significant, cusum or ewma');
  const kind = r.oneOf(v, 'kind', at, ['threshold', 'relative', 'significant', 'cusum', 'ewma']);
  const positive = (x: number) => x > 0;
  switch (kind) {
    case 'threshold': {
      const op = r.oneOf<Comparison>(v, 'op', at, comparisons);
      const value = r.num(v, 'value', at, () => true, 'a finite number', true);
      const clear = r.num(v, 'clear', at, () => true, 'a finite number');
      if (op === undefined || value === undefined) return undefined;
      return { kind, op, value, ...(clear !== undefined ? { clear } : {}) };
    }
    case 'relative': {
      const op = r.oneOf<Comparison>(v, 'op', at, comparisons);
      const factor = r.num(v, 'factor', at, positive, 'a number > 0', true);
      const baseline = r.oneOf<'reference' | 'trailing'>(
        v,
        'baseline',
        at,
        ['reference', 'trailing'],
        'reference',
      );
      const windows = r.num(v, 'windows', at, (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1');
      const minBaseline = r.num(v, 'minBaseline', at, (x) => x >= 0, 'a number ≥ 0');
      const season = r.num(
        v,
        'season',
        at,
        (x) => Number.isInteger(x) && x >= 1 && x <= 168,
        'an integer in [1, 168]',
      );
      const clearFactor = r.num(v, 'clearFactor', at, positive, 'a number > 0');
      if (op === undefined || factor === undefined || baseline === undefined) return undefined;
      return {
        kind,
        op,
        factor,
        baseline,
        ...(windows !== undefined ? { windows } : {}),
        ...(season !== undefined ? { season } : {}),
        ...(minBaseline !== undefined ? { minBaseline } : {}),
        ...(clearFactor !== undefined ? { clearFactor } : {}),
      };
    }
    case 'significant':
    case 'cusum':
    case 'ewma': {
      const direction = r.oneOf<'down' | 'up' | 'any'>(v, 'direction', at, directions, 'any');
      if (direction === undefined) return undefined;
      if (kind === 'significant') return { kind, direction };
      const extra: Obj = {};
      const names = kind === 'cusum' ? ['k', 'h'] : ['lambda', 'L'];
      for (const name of names) {
        const x = r.num(v, name, at, positive, 'a number > 0');
        if (x !== undefined) extra[name] = x;
      }
      const warmup = r.num(v, 'warmup', at, (x) => Number.isInteger(x) && x >= 2, 'an integer ≥ 2');
      if (warmup !== undefined) extra.warmup = warmup;
      return { kind, direction, ...extra } as Condition;
    }
    default:
      return undefined;
  }
}

function readSmoothing(r: Reader, v: unknown, at: string): Smoothing | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v)) return r.fail(at, v, '{ kind: ewma, alpha } or { kind: rolling, windows }');
  const kind = r.oneOf(v, 'kind', at, ['ewma', 'rolling']);
  if (kind === 'ewma') {
    const alpha = r.num(v, 'alpha', at, (x) => x > 0 && x <= 1, 'a number in (0, 1]', true);
    return alpha === undefined ? undefined : { kind, alpha };
  }
  if (kind === 'rolling') {
    const windows = r.num(v, 'windows', at, (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1', true);
    return windows === undefined ? undefined : { kind, windows };
  }
  return undefined;
}

function readRule(r: Reader, v: unknown, at: string, model: string | undefined): AlertRule | undefined {
  if (!isObj(v)) return r.fail(at, v, 'a rule object');
  const before = r.issues.length;
  const id = r.str(v, 'id', at, { required: true, pattern: idPattern });
  const ruleModel = r.str(v, 'model', at, { required: model === undefined }) ?? model;
  if (model !== undefined && ruleModel !== model) r.fail(`${at}.model`, ruleModel, `the model ${model}`);
  const metricValue = v.metric ?? v.metrics;
  const metrics = typeof metricValue === 'string' ? [metricValue] : metricValue;
  if (
    !Array.isArray(metrics) ||
    metrics.length === 0 ||
    !metrics.every((m) => typeof m === 'string' && m !== '')
  )
    r.fail(
      `${at}.metric`,
      metricValue,
      'a metric name or pattern (e.g. "roc_auc", "drift.*") or a list of them',
    );
  const version = r.str(v, 'version', at);
  const segment = r.str(v, 'segment', at);
  const window = r.oneOf<'hour' | 'day'>(v, 'window', at, ['hour', 'day'], 'day');
  const condition = readCondition(r, v.condition, `${at}.condition`);
  const smoothing = readSmoothing(r, v.smoothing, `${at}.smoothing`);
  const minSamples = r.num(v, 'minSamples', at, (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0') ?? 0;
  const forMs = r.duration(v, 'for', at, 0);
  const keepFiringForMs = r.duration(v, 'keepFiringFor', at, 0);
  const severity = r.oneOf<Severity>(v, 'severity', at, severities, 'warning');
  const runbook = r.str(v, 'runbook', at);
  const kind = r.str(v, 'kind', at) ?? 'custom';
  const escalation = r.str(v, 'escalation', at);
  const labels: Record<string, string> = {};
  if (v.labels !== undefined) {
    if (!isObj(v.labels) || !Object.values(v.labels).every((x) => typeof x === 'string'))
      r.fail(`${at}.labels`, v.labels, 'an object of string labels');
    else Object.assign(labels, v.labels);
  }
  if (r.issues.length > before) return undefined;
  return {
    id: id as string,
    model: ruleModel as string,
    kind,
    metrics: metrics as string[],
    ...(version !== undefined ? { version } : {}),
    ...(segment !== undefined ? { segment } : {}),
    window: window as 'hour' | 'day',
    condition: condition as Condition,
    ...(smoothing ? { smoothing } : {}),
    minSamples,
    forMs: forMs as number,
    keepFiringForMs: keepFiringForMs as number,
    severity: severity as Severity,
    ...(runbook !== undefined ? { runbook } : {}),
    labels,
    ...(escalation !== undefined ? { escalation } : {}),
  };
}

/**
 * Validates an alert document (`{ rules, inhibitRules?, escalationPolicies?, grouping? }`, or a bare
 * array of rules); every problem is reported with its path. `model` fills and checks `rules[i].model`.
 * Throws `PLB_ERR_INVALID_INPUT` listing all issues.
 */
export function parseAlertConfig(doc: unknown, options: { model?: string } = {}): AlertConfig {
  const r = new Reader();
  const root: Obj = Array.isArray(doc) ? { rules: doc } : isObj(doc) ? doc : {};
  if (!Array.isArray(doc) && !isObj(doc)) r.fail('(root)', doc, 'an object with a rules list');
  const rules: AlertRule[] = [];
  if (!Array.isArray(root.rules)) r.fail('rules', root.rules, 'a list of rules');
  else
    root.rules.forEach((v, i) => {
      const rule = readRule(r, v, `rules[${i}]`, options.model);
      if (rule) {
        if (rules.some((x) => x.id === rule.id)) r.fail(`rules[${i}].id`, rule.id, 'a unique rule id');
        rules.push(rule);
      }
    });
  const inhibitRules: InhibitRule[] = [];
  const inh = root.inhibitRules ?? [];
  if (!Array.isArray(inh)) r.fail('inhibitRules', inh, 'a list of { source, target, equal }');
  else
    for (const [i, v] of inh.entries()) {
      const at = `inhibitRules[${i}]`;
      if (!isObj(v)) {
        r.fail(at, v, '{ source, target, equal }');
        continue;
      }
      const equal = v.equal ?? [];
      if (!Array.isArray(equal) || !equal.every((x) => typeof x === 'string'))
        r.fail(`${at}.equal`, equal, 'a list of label names');
      else
        inhibitRules.push({
          source: r.matchers(v.source, `${at}.source`),
          target: r.matchers(v.target, `${at}.target`),
          equal,
        });
    }
  const escalationPolicies: EscalationPolicy[] = [];
  const pol = root.escalationPolicies ?? [];
  if (!Array.isArray(pol)) r.fail('escalationPolicies', pol, 'a list of { id, levels }');
  else
    for (const [i, v] of pol.entries()) {
      const at = `escalationPolicies[${i}]`;
      if (!isObj(v)) {
        r.fail(at, v, '{ id, levels }');
        continue;
      }
      const id = r.str(v, 'id', at, { required: true, pattern: idPattern });
      if (!Array.isArray(v.levels) || v.levels.length === 0) {
        r.fail(`${at}.levels`, v.levels, 'a non-empty list');
        continue;
      }
      const levels = v.levels.map((l, j) => {
        const lat = `${at}.levels[${j}]`;
        if (!isObj(l) || !Array.isArray(l.targets) || !l.targets.every((t) => typeof t === 'string')) {
          r.fail(`${lat}.targets`, isObj(l) ? l.targets : l, 'a list of target names');
          return { targets: [] };
        }
        const timeout = l.timeout === undefined ? undefined : parseDuration(l.timeout);
        if (l.timeout !== undefined && timeout === undefined)
          r.fail(`${lat}.timeout`, l.timeout, 'a duration like "30m"');
        return { targets: l.targets as string[], ...(timeout !== undefined ? { timeoutMs: timeout } : {}) };
      });
      if (id) escalationPolicies.push({ id, levels });
    }
  const grouping: GroupingOptions = {};
  if (root.grouping !== undefined) {
    const g = root.grouping;
    if (!isObj(g)) r.fail('grouping', g, '{ groupBy, groupWait, groupInterval, repeatInterval, receivers }');
    else {
      if (g.groupBy !== undefined) {
        if (Array.isArray(g.groupBy) && g.groupBy.every((x) => typeof x === 'string'))
          grouping.groupBy = g.groupBy;
        else r.fail('grouping.groupBy', g.groupBy, 'a list of label names');
      }
      if (g.receivers !== undefined) {
        if (Array.isArray(g.receivers) && g.receivers.every((x) => typeof x === 'string'))
          grouping.receivers = g.receivers;
        else r.fail('grouping.receivers', g.receivers, 'a list of target names');
      }
      for (const [key, field] of [
        ['groupWait', 'groupWaitMs'],
        ['groupInterval', 'groupIntervalMs'],
        ['repeatInterval', 'repeatIntervalMs'],
      ] as const) {
        const ms = g[key] === undefined ? undefined : r.duration(g, key, 'grouping', 0);
        if (ms !== undefined) grouping[field] = ms;
      }
    }
  }
  if (r.issues.length > 0)
    throw errors.invalidInput(`${r.issues.length} problem(s) in the alert rules`, r.issues);
  return { rules, inhibitRules, escalationPolicies, grouping };
}

/** Parses a YAML document (JSON is a subset); throws `PLB_ERR_INVALID_INPUT` naming the `file` when it is neither. */
export function parseYamlDocument(text: string, file: string): unknown {
  try {
    return parseYaml(text);
  } catch (e) {
    throw errors.invalidInput(`the ${file} is neither YAML nor JSON`, [
      { field: '(file)', value: (e as Error).message.split('\n')[0], expected: 'YAML or JSON' },
    ]);
  }
}

/** Parses an alert file's text (YAML, of which JSON is a subset) and validates it. */
export function parseAlertFile(text: string, options: { model?: string } = {}): AlertConfig {
  return parseAlertConfig(parseYamlDocument(text, 'alert file'), options);
}

/** The inhibit rules that always apply: data quality mutes drift on the same feature; model-wide mutes segments. */
export const defaultInhibitRules: InhibitRule[] = [
  {
    source: [{ name: 'kind', op: '=', value: 'data_quality' }],
    target: [{ name: 'kind', op: '=', value: 'feature_drift' }],
    equal: ['model', 'version', 'feature'],
  },
  {
    source: [{ name: 'segment', op: '=', value: 'all' }],
    target: [{ name: 'segment', op: '!=', value: 'all' }],
    equal: ['model', 'version', 'alertname', 'metric'],
  },
];

const hour = 3_600_000;
const day = 24 * hour;

/**
 * The rules every model starts with (ids `<model>:<kind>`). Why each default is what it is
 * (README "Alerting"): significance verdicts come from the monitor, which compares day windows
 * with the reference's own days (day-baseline.ts: weekday and weather make a day, not an event,
 * the unit of replication), requires materiality (effect floors) and controls the family of
 * segment tests (Bonferroni); so the rules fire on the flag, not on a bare interval.
 * - performance (critical): `accuracy_gap` (realized − expected accuracy), ROC-AUC and accuracy
 *   below their day-level prediction intervals, every segment;
 * - estimated_performance: CBPE below its day-level interval;
 * - feature_drift: day-window drift beyond every reference day (calendar features never are);
 * - cohort_drift: hourly, a minority tag value (pipeline, host) against the rest of the hour;
 * - data_quality (hourly and daily): missing / new-category / out-of-range rates whose Wilson
 *   lower bound clears the reference by the floor;
 * - prediction_drift: score and positive-rate drift, for a day;
 * - latency: hourly p50 / p99 above 1.5 × their trailing 24-hour median; canary_latency: a
 *   minority version's p50 / p99 above 1.5 × the other versions' in the same hour;
 * - throughput_drop and no_data: hourly volume below half of, or absent at, the same hour of the
 *   last 3 days;
 * - label_lag, ingest_rejects.
 * Every rule is a plain object the user may edit.
 */
export function defaultRules(model: Pick<Model, 'id'>): AlertRule[] {
  const base = { model: model.id, labels: {}, smoothing: undefined } as const;
  const rule = (r: Omit<AlertRule, 'model' | 'labels'> & { labels?: Record<string, string> }): AlertRule => {
    const { smoothing, ...rest } = { ...base, ...r, labels: r.labels ?? {} };
    return smoothing ? { ...rest, smoothing } : rest;
  };
  const id = (kind: string) => `${model.id}:${kind}`;
  const quality = ['missing_rate.*', 'new_category_rate.*', 'out_of_range_rate.*'];
  return [
    rule({
      id: id('performance'),
      kind: 'performance',
      metrics: ['accuracy_gap', 'roc_auc', 'accuracy'],
      window: 'day',
      condition: { kind: 'significant', direction: 'down' },
      minSamples: 100,
      forMs: 0,
      keepFiringForMs: day,
      severity: 'critical',
      runbook:
        'Labelled performance fell below what the reference days allow (accuracy_gap: the labels disagree with the scores more than usual). Run RCA on the window.',
    }),
    rule({
      id: id('estimated_performance'),
      kind: 'estimated_performance',
      metrics: ['cbpe.roc_auc', 'cbpe.accuracy'],
      window: 'day',
      condition: { kind: 'significant', direction: 'down' },
      minSamples: 100,
      forMs: 0,
      keepFiringForMs: day,
      severity: 'warning',
      runbook: 'Label-free estimate (CBPE) below the reference days; labels will confirm.',
    }),
    rule({
      id: id('feature_drift'),
      kind: 'feature_drift',
      metrics: ['drift.*'],
      segment: 'all',
      window: 'day',
      condition: { kind: 'significant', direction: 'any' },
      minSamples: 200,
      forMs: 0,
      keepFiringForMs: day,
      severity: 'warning',
      runbook:
        'A feature drifted: significant at this sample size, material, and beyond every reference day. Check upstream pipelines.',
    }),
    rule({
      id: id('cohort_drift'),
      kind: 'feature_drift',
      metrics: ['cohort_drift.*'],
      segment: 'tags.*',
      window: 'hour',
      condition: { kind: 'significant', direction: 'any' },
      minSamples: 50,
      forMs: 0,
      keepFiringForMs: hour,
      severity: 'critical',
      runbook:
        'Events of one tag value (a pipeline, a host) differ from the rest of the same hour: a bug in that cohort. Compare its feature values with the others.',
    }),
    rule({
      id: id('data_quality'),
      kind: 'data_quality',
      metrics: quality,
      segment: 'all',
      window: 'hour',
      condition: { kind: 'significant', direction: 'up' },
      minSamples: 30,
      forMs: 0,
      keepFiringForMs: hour,
      severity: 'critical',
      runbook: 'Missing, out-of-range or unseen values rose. Look for an upstream outage or a schema change.',
    }),
    rule({
      id: id('data_quality_daily'),
      kind: 'data_quality',
      metrics: quality,
      segment: 'all',
      window: 'day',
      condition: { kind: 'significant', direction: 'up' },
      minSamples: 100,
      forMs: 0,
      keepFiringForMs: 0,
      severity: 'warning',
      runbook: 'A small but sustained rise of missing, out-of-range or unseen values over a day.',
    }),
    rule({
      id: id('prediction_drift'),
      kind: 'prediction_drift',
      metrics: ['score_drift', 'positive_rate'],
      window: 'day',
      condition: { kind: 'significant', direction: 'any' },
      minSamples: 100,
      forMs: day,
      keepFiringForMs: day,
      severity: 'warning',
    }),
    rule({
      id: id('latency_p99'),
      kind: 'latency',
      metrics: ['latency_p50', 'latency_p99'],
      segment: 'all',
      window: 'hour',
      condition: {
        kind: 'relative',
        op: '>',
        factor: 1.5,
        baseline: 'trailing',
        windows: 24,
        clearFactor: 1.2,
      },
      minSamples: 50,
      forMs: 0,
      keepFiringForMs: hour,
      severity: 'warning',
      runbook: 'Serving latency rose above its last day. Check the version and per-stage timings.',
    }),
    rule({
      id: id('canary_latency'),
      kind: 'latency',
      metrics: ['cohort_latency_p50', 'cohort_latency_p99'],
      segment: 'all',
      window: 'hour',
      // A minority version against the other versions of the same hour (canary analysis).
      condition: { kind: 'threshold', op: '>', value: 1.5, clear: 1.2 },
      minSamples: 50,
      forMs: 0,
      keepFiringForMs: hour,
      severity: 'warning',
      runbook:
        'A version serves slower than the others on the same traffic: hold its rollout, compare its stages.',
    }),
    rule({
      id: id('throughput_drop'),
      kind: 'throughput',
      metrics: ['throughput'],
      version: '*',
      segment: 'all',
      window: 'hour',
      // Same hour of day over the last 3 days: traffic has a daily cycle.
      condition: {
        kind: 'relative',
        op: '<',
        factor: 0.5,
        baseline: 'trailing',
        windows: 3,
        season: 24,
        minBaseline: 50,
        clearFactor: 0.7,
      },
      minSamples: 0,
      forMs: 2 * hour,
      keepFiringForMs: hour,
      severity: 'warning',
    }),
    rule({
      id: id('no_data'),
      kind: 'throughput',
      metrics: ['throughput'],
      version: '*',
      segment: 'all',
      window: 'hour',
      // Absent data: the monitor writes throughput 0 for silent hours; fire when an hour that had
      // traffic on each of the last 3 days (≥ 50 events) has none.
      condition: {
        kind: 'relative',
        // below 2 % of a baseline of at least 50 events: fewer than one, i.e. none
        op: '<',
        factor: 0.02,
        baseline: 'trailing',
        windows: 3,
        season: 24,
        minBaseline: 50,
      },
      minSamples: 0,
      forMs: hour,
      keepFiringForMs: 0,
      severity: 'critical',
      runbook:
        'No events arrived for an hour that usually has traffic: the client or the ingest path is down.',
    }),
    rule({
      id: id('label_lag'),
      kind: 'label_lag',
      metrics: ['label_delay_p95'],
      version: '*',
      segment: 'all',
      window: 'hour',
      condition: { kind: 'relative', op: '>', factor: 2, baseline: 'trailing', windows: 24 },
      minSamples: 20,
      forMs: 6 * hour,
      keepFiringForMs: hour,
      severity: 'info',
    }),
    rule({
      id: id('ingest_rejects'),
      kind: 'ingest',
      metrics: ['ingest_reject_rate'],
      window: 'hour',
      condition: { kind: 'threshold', op: '>', value: 0.05, clear: 0.01 },
      minSamples: 0,
      forMs: hour,
      keepFiringForMs: hour,
      severity: 'warning',
    }),
  ];
}

/**
 * One verdict per window: smooths the series, computes the baseline and checks the rule's condition.
 * Pure; the per-series memory (recent values, EWMA level, control-chart state) is passed in and a new
 * one returned, so evaluation can resume from persisted state.
 */

import { windowMs } from '../monitor/windows.js';
import { Cusum, type CusumState } from '../stats/change/cusum.js';
import { EwmaChart, type EwmaState } from '../stats/change/ewma.js';
import type { MetricPoint } from '../store/store.js';
import type { AlertRule, Comparison } from './types.js';

/** What a series remembers between windows. */
export interface SeriesMemory {
  recent: number[];
  /** Window starts of `recent` (seasonal lags are found by time, so missing windows do not shift them). */
  recentAt?: number[];
  smoothed: number | null;
  detector: unknown;
}

/** The verdict of one window: `insufficient` keeps the alert's state (it neither fires nor resolves). */
export type Verdict =
  | { kind: 'insufficient'; reason: string }
  | { kind: 'ok'; holds: boolean; smoothed: number; baseline: number | null; reason: string };

/** Warm-up windows of control charts when the rule sets none (μ₀, σ estimated from them). */
export const chartWarmup = 14;
const maxRecent = 24 * 28;

const compare = (x: number, op: Comparison, y: number) =>
  op === '>' ? x > y : op === '>=' ? x >= y : op === '<' ? x < y : x <= y;

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(4));

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The values exactly 1, 2, …, k seasons (in windows of the point's size) before the point, where present. */
function seasonalValues(
  values: number[],
  at: number[],
  point: MetricPoint,
  k: number,
  season: number,
): number[] {
  const step = season * windowMs[point.window.size];
  const byTime = new Map(at.map((t, i) => [t, values[i]]));
  const out: number[] = [];
  for (let j = 1; j <= k; j++) {
    const v = byTime.get(point.window.startMs - j * step);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** Median of values (mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function memorySize(rule: AlertRule): number {
  const c = rule.condition;
  const trailing =
    c.kind === 'relative' && c.baseline === 'trailing' ? (c.windows ?? 24) * (c.season ?? 1) : 0;
  const rolling = rule.smoothing?.kind === 'rolling' ? rule.smoothing.windows : 0;
  return Math.min(maxRecent, Math.max(trailing, rolling, 1));
}

/**
 * Checks one point against a rule. `firing` selects the clearing threshold (hysteresis): once an
 * alert fires, `clear` / `clearFactor` replace the firing threshold until it resolves.
 */
export function checkPoint(
  rule: AlertRule,
  point: MetricPoint,
  memory: SeriesMemory,
  firing: boolean,
): { verdict: Verdict; memory: SeriesMemory } {
  if (point.status === 'insufficient_data')
    return { verdict: { kind: 'insufficient', reason: `insufficient data (n = ${point.n})` }, memory };
  if (point.value === null || !Number.isFinite(point.value))
    return { verdict: { kind: 'insufficient', reason: 'no value' }, memory };
  if (point.n < rule.minSamples)
    return {
      verdict: { kind: 'insufficient', reason: `n = ${point.n} < minSamples ${rule.minSamples}` },
      memory,
    };
  const raw = point.value;
  const previous = memory.recent;
  const previousAt = memory.recentAt ?? [];
  let smoothed = raw;
  if (rule.smoothing?.kind === 'ewma')
    smoothed =
      memory.smoothed === null
        ? raw
        : rule.smoothing.alpha * raw + (1 - rule.smoothing.alpha) * memory.smoothed;
  else if (rule.smoothing?.kind === 'rolling') {
    const k = rule.smoothing.windows;
    const window = k === 1 ? [raw] : [...previous.slice(-(k - 1)), raw];
    smoothed = window.reduce((a, b) => a + b, 0) / window.length;
  }
  const next: SeriesMemory = {
    recent: [...previous, raw].slice(-memorySize(rule)),
    recentAt: [...previousAt, point.window.startMs].slice(-memorySize(rule)),
    smoothed,
    detector: memory.detector,
  };
  const c = rule.condition;
  const done = (holds: boolean, baseline: number | null, reason: string) => ({
    verdict: { kind: 'ok' as const, holds, smoothed, baseline, reason },
    memory: next,
  });
  switch (c.kind) {
    case 'threshold': {
      const limit = firing && c.clear !== undefined ? c.clear : c.value;
      const holds = compare(smoothed, c.op, limit);
      return done(holds, null, `${fmt(smoothed)} ${holds ? c.op : `not ${c.op}`} ${fmt(limit)}`);
    }
    case 'relative': {
      let baseline: number | null = null;
      if (c.baseline === 'reference') baseline = point.baseline ?? null;
      else {
        const k = c.windows ?? 24;
        const values = c.season
          ? seasonalValues(previous, previousAt, point, k, c.season)
          : previous.slice(-k).filter(() => previous.length >= k);
        // Seasonal lags may miss a few windows (no events that hour); half of them is enough.
        if (values.length < (c.season ? Math.ceil(k / 2) : k))
          return {
            verdict: {
              kind: 'insufficient',
              reason: `trailing baseline has ${values.length} of ${k} windows`,
            },
            memory: next,
          };
        baseline = median(values);
      }
      if (baseline === null)
        return { verdict: { kind: 'insufficient', reason: 'no reference baseline' }, memory: next };
      if (c.minBaseline !== undefined && Math.abs(baseline) < c.minBaseline)
        return {
          verdict: {
            kind: 'insufficient',
            reason: `baseline ${fmt(baseline)} below minBaseline ${c.minBaseline}`,
          },
          memory: next,
        };
      const factor = firing && c.clearFactor !== undefined ? c.clearFactor : c.factor;
      const holds = compare(smoothed, c.op, baseline * factor);
      return done(
        holds,
        baseline,
        `${fmt(smoothed)} ${holds ? c.op : `not ${c.op}`} ${fmt(baseline)} × ${factor}`,
      );
    }
    case 'significant': {
      const b = point.baseline;
      const { ciLow: lo, ciHigh: hi } = point;
      // The monitor's flag is its calibrated verdict (day-level baselines, materiality, family-wise
      // control); the interval check is the fallback for points that carry none.
      if (point.significant === undefined && b !== undefined && lo !== null && hi !== null) {
        const down = hi < b;
        const up = lo > b;
        const holds = c.direction === 'down' ? down : c.direction === 'up' ? up : down || up;
        return done(
          holds,
          b,
          `interval [${fmt(lo)}, ${fmt(hi)}] ${holds ? 'excludes' : 'vs'} baseline ${fmt(b)}`,
        );
      }
      if (point.significant === undefined)
        return {
          verdict: { kind: 'insufficient', reason: 'no interval, baseline or significance flag' },
          memory: next,
        };
      let holds = point.significant;
      // A flag carries no direction; with a baseline, check the side.
      if (holds && b !== undefined && c.direction !== 'any')
        holds = c.direction === 'down' ? raw < b : raw > b;
      return done(
        holds,
        b ?? null,
        `${point.metric} ${holds ? 'significant' : 'not significant'} (value ${fmt(raw)})`,
      );
    }
    case 'cusum':
    case 'ewma': {
      const warmup = c.warmup ?? chartWarmup;
      const chart =
        c.kind === 'cusum'
          ? memory.detector
            ? Cusum.fromJSON(memory.detector as CusumState)
            : new Cusum(defined({ k: c.k, h: c.h, warmup, restartOnAlarm: false }))
          : memory.detector
            ? EwmaChart.fromJSON(memory.detector as EwmaState)
            : new EwmaChart(defined({ lambda: c.lambda, L: c.L, warmup }));
      const step = chart.update(smoothed);
      next.detector = chart.toJSON();
      if (!step.ready)
        return {
          verdict: { kind: 'insufficient', reason: `${c.kind} warming up (${warmup} windows)` },
          memory: next,
        };
      const holds = step.alarm && (c.direction === 'any' || step.side === c.direction);
      return done(
        holds,
        null,
        `${c.kind} statistic ${fmt(step.statistic)}${holds ? ` alarm ${step.side}` : ''}`,
      );
    }
  }
}

import { describe, expect, it } from 'vitest';
import { checkPoint, median, type SeriesMemory } from '../../src/alerts/conditions.js';
import type { Condition, Smoothing } from '../../src/alerts/types.js';
import type { MetricPoint } from '../../src/store/store.js';
import { HOUR, point, rule, T0 } from './helpers.js';

const empty: SeriesMemory = { recent: [], smoothed: null, detector: null };

// Each row: a condition (and memory / firing flag) and a point → holds, or 'insufficient'.
const rows: {
  name: string;
  condition: Condition;
  p: Partial<MetricPoint>;
  recent?: number[];
  firing?: boolean;
  minSamples?: number;
  expected: boolean | 'insufficient';
}[] = [
  {
    name: 'threshold > holds',
    condition: { kind: 'threshold', op: '>', value: 800 },
    p: { value: 900 },
    expected: true,
  },
  {
    name: 'threshold > equal does not hold',
    condition: { kind: 'threshold', op: '>', value: 800 },
    p: { value: 800 },
    expected: false,
  },
  {
    name: 'threshold >= equal holds',
    condition: { kind: 'threshold', op: '>=', value: 800 },
    p: { value: 800 },
    expected: true,
  },
  {
    name: 'threshold <= holds',
    condition: { kind: 'threshold', op: '<=', value: 0.7 },
    p: { value: 0.6 },
    expected: true,
  },
  {
    name: 'hysteresis: firing stays above clear',
    condition: { kind: 'threshold', op: '>', value: 0.2, clear: 0.15 },
    p: { value: 0.18 },
    firing: true,
    expected: true,
  },
  {
    name: 'hysteresis: not firing needs the fire level',
    condition: { kind: 'threshold', op: '>', value: 0.2, clear: 0.15 },
    p: { value: 0.18 },
    expected: false,
  },
  {
    name: 'hysteresis: firing clears below clear',
    condition: { kind: 'threshold', op: '>', value: 0.2, clear: 0.15 },
    p: { value: 0.14 },
    firing: true,
    expected: false,
  },
  {
    name: 'relative to reference holds',
    condition: { kind: 'relative', op: '<', factor: 0.95, baseline: 'reference' },
    p: { value: 0.7, baseline: 0.8 },
    expected: true,
  },
  {
    name: 'relative to reference does not hold',
    condition: { kind: 'relative', op: '<', factor: 0.95, baseline: 'reference' },
    p: { value: 0.77, baseline: 0.8 },
    expected: false,
  },
  {
    name: 'relative without reference is insufficient',
    condition: { kind: 'relative', op: '<', factor: 0.95, baseline: 'reference' },
    p: { value: 0.7 },
    expected: 'insufficient',
  },
  {
    name: 'trailing median holds',
    condition: { kind: 'relative', op: '>', factor: 1.5, baseline: 'trailing', windows: 3 },
    p: { value: 200 },
    recent: [1000, 100, 120, 110],
    expected: true,
  },
  {
    name: 'trailing median (robust to one spike) does not hold',
    condition: { kind: 'relative', op: '>', factor: 1.5, baseline: 'trailing', windows: 3 },
    p: { value: 160 },
    recent: [100, 1000, 110],
    expected: false,
  },
  {
    name: 'trailing baseline warming up is insufficient',
    condition: { kind: 'relative', op: '>', factor: 1.5, baseline: 'trailing', windows: 3 },
    p: { value: 500 },
    recent: [100, 100],
    expected: 'insufficient',
  },
  {
    name: 'relative clearFactor while firing',
    condition: { kind: 'relative', op: '>', factor: 1.5, baseline: 'trailing', windows: 1, clearFactor: 1.2 },
    p: { value: 130 },
    recent: [100],
    firing: true,
    expected: true,
  },
  {
    name: 'significant down: ciHigh below baseline',
    condition: { kind: 'significant', direction: 'down' },
    p: { value: 0.7, ciLow: 0.68, ciHigh: 0.72, baseline: 0.78 },
    expected: true,
  },
  {
    name: 'significant down: interval covers baseline',
    condition: { kind: 'significant', direction: 'down' },
    p: { value: 0.7, ciLow: 0.6, ciHigh: 0.8, baseline: 0.78 },
    expected: false,
  },
  {
    name: 'significant down ignores an improvement',
    condition: { kind: 'significant', direction: 'down' },
    p: { value: 0.9, ciLow: 0.88, ciHigh: 0.92, baseline: 0.78 },
    expected: false,
  },
  {
    name: 'significant any: improvement counts',
    condition: { kind: 'significant', direction: 'any' },
    p: { value: 0.9, ciLow: 0.88, ciHigh: 0.92, baseline: 0.78 },
    expected: true,
  },
  {
    name: 'significant flag (drift) without interval',
    condition: { kind: 'significant', direction: 'any' },
    p: { metric: 'drift.x', value: 0.3, baseline: 0.1, significant: true },
    expected: true,
  },
  {
    name: 'flag false',
    condition: { kind: 'significant', direction: 'any' },
    p: { metric: 'drift.x', value: 0.3, baseline: 0.1, significant: false },
    expected: false,
  },
  {
    name: 'flag with wrong direction',
    condition: { kind: 'significant', direction: 'up' },
    p: { metric: 'missing_rate.x', value: 0.01, baseline: 0.2, significant: true },
    expected: false,
  },
  {
    name: 'no interval, baseline or flag is insufficient',
    condition: { kind: 'significant', direction: 'any' },
    p: { value: 0.3 },
    expected: 'insufficient',
  },
  {
    name: 'insufficient_data point',
    condition: { kind: 'threshold', op: '<', value: 0.7 },
    p: { value: null, status: 'insufficient_data' },
    expected: 'insufficient',
  },
  {
    name: 'null value',
    condition: { kind: 'threshold', op: '<', value: 0.7 },
    p: { value: null },
    expected: 'insufficient',
  },
  {
    name: 'below minSamples',
    condition: { kind: 'threshold', op: '<', value: 0.7 },
    p: { value: 0.5, n: 50 },
    minSamples: 100,
    expected: 'insufficient',
  },
];

describe('checkPoint (condition table)', () => {
  for (const r of rows) {
    it(r.name, () => {
      const { verdict } = checkPoint(
        rule({ condition: r.condition, minSamples: r.minSamples ?? 0 }),
        point(r.p),
        { ...empty, recent: r.recent ?? [] },
        r.firing ?? false,
      );
      if (r.expected === 'insufficient') expect(verdict.kind).toBe('insufficient');
      else {
        expect(verdict.kind).toBe('ok');
        if (verdict.kind === 'ok') expect(verdict.holds).toBe(r.expected);
      }
    });
  }
});

describe('smoothing', () => {
  const run = (smoothing: Smoothing, values: number[]) => {
    let memory = empty;
    const out: number[] = [];
    for (const v of values) {
      const r = checkPoint(rule({ smoothing }), point({ value: v }), memory, false);
      memory = r.memory;
      if (r.verdict.kind === 'ok') out.push(r.verdict.smoothed);
    }
    return out;
  };
  it('EWMA s_t = α x_t + (1 − α) s_{t−1}, s_1 = x_1', () => {
    const s = run({ kind: 'ewma', alpha: 0.5 }, [1, 3, 5]);
    expect(s).toEqual([1, 2, 3.5]);
  });
  it('rolling mean of the last k values', () => {
    expect(run({ kind: 'rolling', windows: 2 }, [1, 3, 5, 9])).toEqual([1, 2, 4, 7]);
    expect(run({ kind: 'rolling', windows: 1 }, [1, 3])).toEqual([1, 3]);
  });
  it('a smoothed blip does not cross the threshold', () => {
    let memory = empty;
    const holds: boolean[] = [];
    for (const v of [0.8, 0.8, 0.6, 0.8]) {
      const r = checkPoint(
        rule({ smoothing: { kind: 'ewma', alpha: 0.3 } }),
        point({ value: v }),
        memory,
        false,
      );
      memory = r.memory;
      if (r.verdict.kind === 'ok') holds.push(r.verdict.holds);
    }
    expect(holds).toEqual([false, false, false, false]);
  });
});

describe('sequential conditions', () => {
  const feed = (condition: Condition, values: number[]) => {
    let memory = empty;
    return values.map((v) => {
      const r = checkPoint(rule({ condition }), point({ value: v }), memory, false);
      memory = JSON.parse(JSON.stringify(r.memory)); // as persisted
      return r.verdict.kind === 'ok' ? r.verdict.holds : null;
    });
  };
  const noise = [0.1, -0.2, 0.15, -0.05, 0.2, -0.1, 0.05, -0.15, 0.1, -0.1];
  it('CUSUM is insufficient during warm-up, quiet in control and alarms on a sustained drop', () => {
    const out = feed({ kind: 'cusum', direction: 'down', warmup: 10 }, [
      ...noise,
      ...noise,
      ...noise.map((x) => x - 0.5),
    ]);
    expect(out.slice(0, 10)).toEqual(Array(10).fill(null));
    expect(out.slice(10, 20)).toEqual(Array(10).fill(false));
    expect(out.slice(-1)).toEqual([true]);
  });
  it('CUSUM direction up does not alarm on a drop', () => {
    const out = feed({ kind: 'cusum', direction: 'up', warmup: 10 }, [
      ...noise,
      ...noise.map((x) => x - 0.5),
    ]);
    expect(out.every((x) => x !== true)).toBe(true);
  });
  it('EWMA chart alarms on a sustained rise', () => {
    const out = feed({ kind: 'ewma', direction: 'up', warmup: 10 }, [...noise, ...noise.map((x) => x + 0.6)]);
    expect(out.slice(0, 10)).toEqual(Array(10).fill(null));
    expect(out.slice(-1)).toEqual([true]);
  });
});

describe('median', () => {
  it('odd, even, one value', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});

describe('seasonal trailing baseline', () => {
  // Hourly traffic with a daily cycle: 1000 by day, 100 at night (hours 0–5); hour 3 sometimes has no window.
  const day = Array.from({ length: 24 }, (_, h) => (h < 6 ? 100 : 1000));
  const rows: {
    name: string;
    season?: number;
    windows: number;
    value: number;
    hour: number;
    minBaseline?: number;
    dropHour3?: boolean;
    expected: boolean | 'insufficient';
  }[] = [
    {
      name: 'night traffic vs a plain 24-window median fires (the flapping we avoid)',
      windows: 24,
      value: 100,
      hour: 2,
      expected: true,
    },
    {
      name: 'night traffic vs the same hour of previous days does not',
      season: 24,
      windows: 2,
      value: 100,
      hour: 2,
      expected: false,
    },
    { name: 'a real drop at night still fires', season: 24, windows: 2, value: 20, hour: 2, expected: true },
    {
      name: 'lags are found by time: missing windows do not shift them',
      season: 24,
      windows: 2,
      value: 100,
      hour: 8,
      dropHour3: true,
      expected: true,
    },
    {
      name: 'lags by time, in-cycle value',
      season: 24,
      windows: 2,
      value: 1000,
      hour: 8,
      dropHour3: true,
      expected: false,
    },
    {
      name: 'a baseline below minBaseline gives no verdict',
      season: 24,
      windows: 2,
      value: 20,
      hour: 2,
      minBaseline: 500,
      expected: 'insufficient',
    },
    {
      name: 'needs half the seasonal lags',
      season: 24,
      windows: 6,
      value: 100,
      hour: 2,
      expected: 'insufficient',
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const hours = Array.from({ length: 48 + r.hour }, (_, i) => i).filter(
        (i) => !(r.dropHour3 && i % 24 === 3),
      );
      const memory = {
        ...empty,
        recent: hours.map((i) => day[i % 24]),
        recentAt: hours.map((i) => T0 + i * HOUR),
      };
      const condition: Condition = {
        kind: 'relative',
        op: '<',
        factor: 0.5,
        baseline: 'trailing',
        windows: r.windows,
        ...(r.season ? { season: r.season } : {}),
        ...(r.minBaseline ? { minBaseline: r.minBaseline } : {}),
      };
      const { verdict } = checkPoint(
        rule({ condition, window: 'hour' }),
        point({ hour: 48 + r.hour, value: r.value }),
        memory,
        false,
      );
      if (r.expected === 'insufficient') expect(verdict.kind).toBe('insufficient');
      else expect(verdict.kind === 'ok' && verdict.holds).toBe(r.expected);
    });
  }
});

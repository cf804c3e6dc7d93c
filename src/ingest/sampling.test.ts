import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../stats/random.js';
import type { PredictionRecord } from '../store/store.js';
import { priorityIndices, refillBudget, sampleRows } from './sampling.js';

function event(i: number, over: Partial<PredictionRecord> = {}): PredictionRecord {
  return {
    eventId: `e${i}`,
    timeMs: i,
    version: 'v1',
    features: { carrier: i % 2 === 0 ? 'AA' : 'UA', distance: i },
    prediction: '0',
    score: 0.05,
    scores: null,
    latencyMs: 1 + (i % 7),
    stages: null,
    tags: {},
    ...over,
  };
}

const base = { threshold: 0.5, segments: ['carrier', 'tags.region'] };

describe('priorityIndices', () => {
  it('flags errors, uncertain scores and rare segment values, nothing else', () => {
    const events = Array.from({ length: 200 }, (_, i) => event(i));
    events[3] = event(3, { tags: { error: 'timeout' } });
    events[5] = event(5, { score: 0.55 });
    events[7] = event(7, { features: { carrier: 'ZZ', distance: 7 } });
    events[9] = event(9, { tags: { status: 'error' } });
    events[11] = event(11, { score: 0.39 }); // outside the 0.1 band
    expect([...priorityIndices(events, base)].sort((a, b) => a - b)).toEqual([3, 5, 7, 9]);
  });
});

describe('sampleRows', () => {
  it('keeps every row with weight 1 within budget (the default: store everything)', () => {
    const events = [event(0), event(1)];
    expect(sampleRows(events, { ...base, budget: 2, rng: createRng(1) })).toEqual([
      { index: 0, weight: 1 },
      { index: 1, weight: 1 },
    ]);
    expect(sampleRows(events, { ...base, budget: Number.POSITIVE_INFINITY, rng: createRng(1) })).toHaveLength(
      2,
    );
  });
  it('keeps nothing with a zero budget and rejects invalid budgets', () => {
    expect(sampleRows([event(0)], { ...base, budget: 0, rng: createRng(1) })).toEqual([]);
    expect(() => sampleRows([event(0)], { ...base, budget: -1, rng: createRng(1) })).toThrow(RangeError);
    expect(() => sampleRows([event(0)], { ...base, budget: Number.NaN, rng: createRng(1) })).toThrow(
      /budget/,
    );
  });
  it('keeps priority rows first, with weight 1, and still samples the rest', () => {
    const events = Array.from({ length: 1000 }, (_, i) => event(i));
    for (const i of [10, 20, 30]) events[i] = event(i, { tags: { error: 'x' } });
    const rows = sampleRows(events, { ...base, budget: 50, rng: createRng(2) });
    expect(rows).toHaveLength(50);
    for (const i of [10, 20, 30]) expect(rows.find((r) => r.index === i)).toEqual({ index: i, weight: 1 });
    const rest = rows.filter((r) => ![10, 20, 30].includes(r.index));
    expect(rest).toHaveLength(47);
    for (const r of rest) expect(r.weight).toBeCloseTo(997 / 47, 12);
  });
  it('reserves part of the budget for ordinary rows when priority rows overflow it', () => {
    const events = Array.from({ length: 100 }, (_, i) => event(i, { score: i < 80 ? 0.5 : 0.01 }));
    const rows = sampleRows(events, { ...base, budget: 20, rng: createRng(3) });
    expect(rows.filter((r) => r.index >= 80)).toHaveLength(2); // 10 % of 20
    expect(rows.filter((r) => r.index < 80).every((r) => r.weight === 80 / 18)).toBe(true);
  });
  it('weights sum to the batch size for every budget (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer(),
        (n, budget, seed) => {
          const events = Array.from({ length: n }, (_, i) => event(i, { score: ((i * 37) % 100) / 100 }));
          const rows = sampleRows(events, { ...base, budget, rng: createRng(seed) });
          expect(rows).toHaveLength(Math.min(n, budget));
          expect(new Set(rows.map((r) => r.index)).size).toBe(rows.length);
          const total = rows.reduce((s, r) => s + r.weight, 0);
          expect(Math.abs(total - n)).toBeLessThan(1e-9 * n);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('gives unbiased weighted sums (Monte Carlo, 4 standard errors)', () => {
    const events = Array.from({ length: 400 }, (_, i) =>
      event(i, { latencyMs: (i % 13) ** 2, score: (i % 10) / 10 }),
    );
    const truth = events.reduce((s, e) => s + e.latencyMs, 0);
    const rng = createRng(42);
    const estimates: number[] = [];
    for (let run = 0; run < 2000; run++) {
      const rows = sampleRows(events, { ...base, budget: 40, rng });
      estimates.push(rows.reduce((s, r) => s + r.weight * events[r.index].latencyMs, 0));
    }
    const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    const sd = Math.sqrt(estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (estimates.length - 1));
    expect(Math.abs(mean - truth)).toBeLessThan((4 * sd) / Math.sqrt(estimates.length));
  });
});

describe('refillBudget', () => {
  it('refills at the rate and caps at the burst', () => {
    expect(refillBudget({ tokens: 0, atMs: 0 }, 500, 100, 1000)).toEqual({ tokens: 50, atMs: 500 });
    expect(refillBudget({ tokens: 990, atMs: 0 }, 1000, 100, 1000)).toEqual({ tokens: 1000, atMs: 1000 });
    expect(refillBudget({ tokens: 5, atMs: 100 }, 50, 100, 1000)).toEqual({ tokens: 5, atMs: 100 });
    expect(() => refillBudget({ tokens: 0, atMs: 0 }, 1, -1, 1)).toThrow(RangeError);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  dayDistanceLimit,
  dayPredictionInterval,
  pooledVariance,
  studentTCdf,
  studentTQuantile,
} from './day-baseline.js';

interface Fixture {
  cdf: { t: number; df: number; cdf: number }[];
  ppf: { p: number; df: number; q: number }[];
  intervals: { values: number[]; alpha: number; mean: number; sd: number; low: number; high: number }[];
}
// scripts/fixtures-day-baseline.py (scipy.stats.t)
const fx = JSON.parse(readFileSync('test/fixtures/day-baseline.json', 'utf8')) as Fixture;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('studentTCdf', () => {
  it('matches scipy.stats.t.cdf within 1e-9 relative (1e-12 absolute near 0)', () => {
    for (const c of fx.cdf) {
      const v = studentTCdf(c.t, c.df);
      expect(Math.abs(v - c.cdf) <= 1e-12 || rel(v, c.cdf) <= 1e-9, `t=${c.t} df=${c.df}`).toBe(true);
    }
  });
  it('rejects df ≤ 0', () => expect(() => studentTCdf(1, 0)).toThrow(RangeError));
});

describe('studentTQuantile', () => {
  it('matches scipy.stats.t.ppf within 1e-9 relative', () => {
    for (const c of fx.ppf) {
      const v = studentTQuantile(c.p, c.df);
      expect(Math.abs(v - c.q) <= 1e-12 || rel(v, c.q) <= 1e-9, `p=${c.p} df=${c.df}: ${v} vs ${c.q}`).toBe(
        true,
      );
    }
  });
  it('rejects p outside (0, 1)', () => {
    expect(() => studentTQuantile(0, 3)).toThrow(/invalid p: 0/);
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
  });
});

describe('dayPredictionInterval', () => {
  it('matches the normal-theory prediction interval within 1e-9 relative', () => {
    for (const c of fx.intervals) {
      const r = dayPredictionInterval(c.values, c.alpha);
      if (r.status !== 'ok') throw new Error('expected ok');
      expect(rel(r.mean, c.mean)).toBeLessThanOrEqual(1e-9);
      expect(rel(r.sd, c.sd)).toBeLessThanOrEqual(1e-9);
      expect(rel(r.low, c.low)).toBeLessThanOrEqual(1e-9);
      expect(rel(r.high, c.high)).toBeLessThanOrEqual(1e-9);
    }
  });
  it('gives insufficient_data below five finite days (NaN skipped)', () => {
    expect(dayPredictionInterval([0.1, 0.2, Number.NaN, 0.3, 0.4], 0.05)).toEqual({
      status: 'insufficient_data',
      n: 4,
    });
  });
  it('is a point for constant days', () => {
    const r = dayPredictionInterval([0.5, 0.5, 0.5, 0.5, 0.5], 0.05);
    expect(r).toMatchObject({ status: 'ok', low: 0.5, high: 0.5, sd: 0 });
  });
});

describe('dayDistanceLimit', () => {
  it('is the largest finite day distance, or null below five days', () => {
    expect(dayDistanceLimit([0.1, 0.3, Number.NaN, 0.2, 0.05, 0.15])).toBe(0.3);
    expect(dayDistanceLimit([0.1, 0.3])).toBeNull();
  });
});

describe('moderated intervals (a prior variance shared by a family of series)', () => {
  it('moderates the variance and adds the prior degrees of freedom (scipy t.ppf at df 19)', () => {
    const c = fx.intervals[1]; // k = 10, alpha 0.05
    const q = fx.ppf.find((x) => x.df === 19 && x.p === 0.975)?.q as number;
    const s2 = (9 * c.sd ** 2 + 10 * 0.0025) / 19;
    const half = q * Math.sqrt(s2) * Math.sqrt(1 + 1 / 10);
    const r = dayPredictionInterval(c.values, 0.05, { s2: 0.0025, df: 10 });
    if (r.status !== 'ok') throw new Error('expected ok');
    expect(rel(r.high, c.mean + half)).toBeLessThanOrEqual(1e-9);
    expect(rel(r.low, c.mean - half)).toBeLessThanOrEqual(1e-9);
    expect(rel(r.sd, Math.sqrt(s2))).toBeLessThanOrEqual(1e-12);
  });
  it('pools the within-series sums of squares; the median series df is the prior weight', () => {
    // sums of squares 2 (df 4), 8 (df 4), 34/3 (df 5): pooled (10 + 34/3) / 13
    const p = pooledVariance([
      [0, 1, 1, 2, 1],
      [0, 2, 2, 4, 2],
      [0, 0, 2, 2, 2, 4],
      [1, 2], // too few days: left out
    ]);
    expect(p?.s2).toBeCloseTo((10 + 34 / 3) / 13, 12);
    expect(p?.df).toBe(4);
    expect(pooledVariance([[1, 2, 3]])).toBeNull();
  });
});

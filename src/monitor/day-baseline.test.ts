import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dayDistanceLimit, dayPredictionInterval, studentTCdf, studentTQuantile } from './day-baseline.js';

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

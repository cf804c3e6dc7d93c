import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { close, closeP, loadFixture } from '../../test/stats/load-fixture.js';
import { mannWhitneyU } from './mann-whitney.js';

// Oracle: scipy.stats.mannwhitneyu (SciPy 1.17), scripts/fixtures-stats.py. U within 1e-12
// relative; p-values 1e-6 absolute (1e-3 relative below 1e-3).
const fx = loadFixture('stats-tests');

describe('mannWhitneyU against scipy', () => {
  for (const c of fx.mannWhitney) {
    it(`${c.name}, ${c.alternative}, ${c.method}, continuity=${c.useContinuity}`, () => {
      const r = mannWhitneyU(c.a, c.b, {
        alternative: c.alternative,
        method: c.method,
        useContinuity: c.useContinuity,
      });
      if (r.status !== 'ok') throw new Error('unexpected insufficient_data');
      expect(close(r.statistic, c.statistic, 1e-12)).toBe(true);
      expect(closeP(r.pValue, c.pValue), `${r.pValue} vs ${c.pValue}`).toBe(true);
    });
  }
  it('auto picks exact for small untied samples and asymptotic with ties', () => {
    expect(mannWhitneyU([1, 2, 3], [4, 5])).toMatchObject({ method: 'exact' });
    expect(mannWhitneyU([1, 2, 2], [4, 5])).toMatchObject({ method: 'asymptotic' });
  });
  it('an empty sample is insufficient data; bad options throw', () => {
    expect(mannWhitneyU([], [1])).toEqual({ status: 'insufficient_data', n: 0 });
    expect(() => mannWhitneyU([1], [2], { method: 'fast' as never })).toThrow(/invalid method: fast/);
  });
});

describe('mannWhitneyU properties', () => {
  const sample = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 40 });
  it('U₁(a, b) + U₁(b, a) = n₁n₂, and the two-sided p is symmetric', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = mannWhitneyU(a, b);
        const ba = mannWhitneyU(b, a);
        if (ab.status !== 'ok' || ba.status !== 'ok') return false;
        return ab.statistic + ba.statistic === a.length * b.length && Math.abs(ab.pValue - ba.pValue) < 1e-12;
      }),
      { numRuns: 200 },
    );
  });
  it('the exact null distribution sums to one: p(greater) + p(less) − P(U = u) = 1', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 2, maxLength: 14 }),
        fc.integer({ min: 1, max: 13 }),
        (values, cut) => {
          const k = Math.min(cut, values.length - 1);
          const a = values.slice(0, k);
          const b = values.slice(k);
          const g = mannWhitneyU(a, b, { alternative: 'greater', method: 'exact' });
          const l = mannWhitneyU(a, b, { alternative: 'less', method: 'exact' });
          if (g.status !== 'ok' || l.status !== 'ok') return false;
          // P(U ≥ u) + P(U ≤ u) = 1 + P(U = u) > 1 unless clipped
          return g.pValue + l.pValue >= 1 - 1e-12;
        },
      ),
      { numRuns: 100 },
    );
  });
});

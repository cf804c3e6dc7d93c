import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { close, closeP, loadFixture } from '../../test/stats/load-fixture.js';
import { ks2Samp, ks2SampSorted, ksPValue } from './ks.js';
import { sortFloat64 } from './quantile.js';
import { createRng } from './random.js';

// Oracle: scipy.stats.ks_2samp, SciPy 1.17 (scripts/fixtures-stats.py). Statistic within 1e-12
// relative (it is a difference of two ratios), p-values 1e-6 absolute or 1e-3 relative below 1e-3,
// statistic location and sign exact, method (after SciPy's exact→asymp fallback) exact.
const fx = loadFixture('stats-ks');

describe('ks2Samp against scipy.stats.ks_2samp', () => {
  for (const c of fx.cases) {
    it(`${c.name}, ${c.alternative}, method=${c.method}`, () => {
      const r = ks2Samp(c.a, c.b, { alternative: c.alternative, method: c.method });
      if (r.status !== 'ok') throw new Error('unexpected insufficient_data');
      expect(close(r.statistic, c.statistic, 1e-12), `statistic ${r.statistic} vs ${c.statistic}`).toBe(true);
      expect(closeP(r.pValue, c.pValue), `p ${r.pValue} vs ${c.pValue}`).toBe(true);
      expect(r.method).toBe(c.usedMethod);
      expect(r.statisticLocation).toBe(c.statisticLocation);
      expect(r.statisticSign).toBe(c.statisticSign);
    });
  }
});

describe('ksPValue for large samples, around the auto switch (max n = 10 000) and past the int32 lcm limit', () => {
  for (const c of fx.pValueCases) {
    it(`${c.name}, ${c.alternative}`, () => {
      const r = ksPValue(c.statistic, c.n1, c.n2, c.alternative, c.method);
      expect(r.method).toBe(c.usedMethod);
      expect(closeP(r.pValue, c.pValue), `p ${r.pValue} vs ${c.pValue}`).toBe(true);
      expect(close(r.statistic, c.statistic, 1e-12)).toBe(true);
    });
  }
});

describe('ks2Samp edges', () => {
  it('an empty sample is insufficient data, not an exception', () => {
    expect(ks2Samp([], [1, 2])).toEqual({ status: 'insufficient_data', n: 0 });
    expect(ks2SampSorted(new Float64Array([1]), new Float64Array(0))).toEqual({
      status: 'insufficient_data',
      n: 0,
    });
  });
  it('rejects unknown options', () => {
    expect(() => ks2Samp([1], [2], { alternative: 'sideways' as never })).toThrow(
      /invalid alternative: sideways/,
    );
    expect(() => ks2Samp([1], [2], { method: 'magic' as never })).toThrow(/invalid method: magic/);
  });
  it('the sorted fast path equals the unsorted one on 20 000 × 15 000 draws', () => {
    const rng = createRng(7);
    const a = Float64Array.from({ length: 20000 }, () => rng.normal());
    const b = Float64Array.from({ length: 15000 }, () => rng.normal() * 1.05);
    const viaSort = ks2Samp(a, b);
    expect(ks2SampSorted(sortFloat64(a), sortFloat64(b))).toEqual(viaSort);
    expect(viaSort.status === 'ok' && viaSort.method).toBe('asymp');
  });
});

describe('ks2Samp properties', () => {
  const sample = fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 60 });
  it('swapping the samples keeps D and p and flips the one-sided alternatives', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = ks2Samp(a, b);
        const ba = ks2Samp(b, a);
        const less = ks2Samp(a, b, { alternative: 'less' });
        const greater = ks2Samp(b, a, { alternative: 'greater' });
        if (ab.status !== 'ok' || ba.status !== 'ok' || less.status !== 'ok' || greater.status !== 'ok')
          return false;
        return (
          ab.statistic === ba.statistic &&
          Math.abs(ab.pValue - ba.pValue) < 1e-12 &&
          less.statistic === greater.statistic &&
          Math.abs(less.pValue - greater.pValue) < 1e-12
        );
      }),
      { numRuns: 200 },
    );
  });
  it('D is in [0, 1], p in [0, 1], and D = 0 with p = 1 for identical samples', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const r = ks2Samp(a, b);
        const same = ks2Samp(a, a);
        return (
          r.status === 'ok' &&
          r.statistic >= 0 &&
          r.statistic <= 1 &&
          r.pValue >= 0 &&
          r.pValue <= 1 &&
          same.status === 'ok' &&
          same.statistic === 0 &&
          same.pValue === 1
        );
      }),
      { numRuns: 200 },
    );
  });
});

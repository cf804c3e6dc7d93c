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

import { describe, expect, it } from 'vitest';
import { close, loadFixture } from '../../test/stats/load-fixture.js';
import { quantile, quantileSorted, quantilesSorted, sortFloat64 } from './quantile.js';

// Oracle: numpy.quantile (method 'linear' = type 7), scripts/fixtures-stats.py. Tolerance 1e-12 relative.
const fx = loadFixture('stats-basics');
const ps: number[] = fx.quantileProbabilities;

describe('quantile (type 7)', () => {
  for (const c of fx.samples.filter((s: { quantiles: number[] | null }) => s.quantiles !== null)) {
    it(`matches numpy.quantile: ${c.name}`, () => {
      const sorted = sortFloat64(c.values);
      const got = quantilesSorted(sorted, ps);
      got.forEach((q, i) => {
        expect(close(q, c.quantiles[i], 1e-12, 1e-300), `p=${ps[i]}: ${q} vs ${c.quantiles[i]}`).toBe(true);
      });
      ps.forEach((p, i) => {
        expect(close(quantile(c.values, p), c.quantiles[i], 1e-12, 1e-300)).toBe(true);
      });
    });
  }
  it('returns NaN for empty input and rejects p outside [0, 1]', () => {
    expect(quantileSorted([], 0.5)).toBeNaN();
    expect(() => quantileSorted([1, 2], 1.1)).toThrow(/invalid p: 1.1/);
    expect(() => quantileSorted([1, 2], Number.NaN)).toThrow(RangeError);
  });
  it('sortFloat64 copies and sorts numerically, NaN last', () => {
    const input = [10, 9, 100, Number.NaN, -1];
    const s = sortFloat64(input);
    expect(Array.from(s.subarray(0, 4))).toEqual([-1, 9, 10, 100]);
    expect(s[4]).toBeNaN();
    expect(input[0]).toBe(10);
  });
});

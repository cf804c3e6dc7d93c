import { describe, expect, it } from 'vitest';
import { close, closeP, loadFixture } from '../../test/stats/load-fixture.js';
import { twoProportionZTest } from './two-proportion.js';

// Oracle: the pooled z-test of statsmodels' proportions_ztest, computed with scipy.stats.norm
// (scripts/fixtures-stats.py). z and difference within 1e-9 relative; p-values 1e-6 absolute
// (1e-3 relative below 1e-3).
const fx = loadFixture('stats-tests');

describe('twoProportionZTest', () => {
  for (const c of fx.twoProportion) {
    it(`${c.x1}/${c.n1} vs ${c.x2}/${c.n2}, ${c.alternative}`, () => {
      const r = twoProportionZTest(c.x1, c.n1, c.x2, c.n2, { alternative: c.alternative });
      if (r.status !== 'ok') throw new Error('unexpected insufficient_data');
      expect(close(r.statistic, c.statistic, 1e-9, 1e-15)).toBe(true);
      expect(close(r.difference, c.difference, 1e-9, 1e-15)).toBe(true);
      expect(closeP(r.pValue, c.pValue), `${r.pValue} vs ${c.pValue}`).toBe(true);
    });
  }
  it('pooled proportion 0 or 1 gives z = 0, p = 1; empty groups are insufficient data', () => {
    expect(twoProportionZTest(0, 10, 0, 20)).toEqual({
      status: 'ok',
      statistic: 0,
      pValue: 1,
      difference: 0,
    });
    expect(twoProportionZTest(10, 10, 20, 20)).toMatchObject({ statistic: 0, pValue: 1 });
    expect(twoProportionZTest(0, 0, 1, 5)).toEqual({ status: 'insufficient_data', n: 0 });
  });
  it('rejects counts above n and non-integer n', () => {
    expect(() => twoProportionZTest(11, 10, 1, 5)).toThrow(/invalid count for n1=10: 11/);
    expect(() => twoProportionZTest(1, 2.5, 1, 5)).toThrow(/invalid n1: 2.5/);
  });
});

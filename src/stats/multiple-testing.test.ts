import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { close, loadFixture } from '../../test/stats/load-fixture.js';
import { benjaminiHochberg, bonferroni } from './multiple-testing.js';

// Oracle: scipy.stats.false_discovery_control(method='bh') and min(m·p, 1)
// (scripts/fixtures-stats.py). Adjusted values within 1e-12 relative.
const fx = loadFixture('stats-tests');

describe('multiple testing against scipy', () => {
  fx.multipleTesting.forEach((c: { pValues: number[]; bh: number[]; bonferroni: number[] }, k: number) => {
    it(`case ${k} (${c.pValues.length} p-values)`, () => {
      const bh = benjaminiHochberg(c.pValues, 0.05);
      expect(bh.adjusted.length).toBe(c.bh.length);
      bh.adjusted.forEach((q, i) => {
        expect(close(q, c.bh[i], 1e-12, 1e-300), `${q} vs ${c.bh[i]}`).toBe(true);
      });
      expect(bh.rejected).toEqual(c.bh.map((q) => q <= 0.05));
      const bf = bonferroni(c.pValues);
      bf.forEach((q, i) => {
        expect(close(q, c.bonferroni[i], 1e-12, 1e-300)).toBe(true);
      });
    });
  });
  it('rejects p-values outside [0, 1] and a bad alpha', () => {
    expect(() => bonferroni([0.5, 1.2])).toThrow(/invalid pValues\[1\]: 1.2/);
    expect(() => benjaminiHochberg([Number.NaN])).toThrow(RangeError);
    expect(() => benjaminiHochberg([0.1], 0)).toThrow(/invalid alpha: 0/);
  });
});

describe('multiple testing properties', () => {
  const pValues = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 50 });
  it('p ≤ BH-adjusted ≤ Bonferroni-adjusted, and BH keeps the order of the p-values', () => {
    fc.assert(
      fc.property(pValues, (ps) => {
        const bh = benjaminiHochberg(ps).adjusted;
        const bf = bonferroni(ps);
        for (let i = 0; i < ps.length; i++) {
          if (!(ps[i] <= bh[i] + 1e-15 && bh[i] <= bf[i] + 1e-15)) return false;
          for (let j = 0; j < ps.length; j++) if (ps[i] < ps[j] && bh[i] > bh[j]) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

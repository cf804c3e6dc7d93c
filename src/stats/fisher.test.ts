import { describe, expect, it } from 'vitest';
import { close, closeP, loadFixture } from '../../test/stats/load-fixture.js';
import { fisherExact } from './fisher.js';

// Oracle: scipy.stats.fisher_exact (SciPy 1.17), scripts/fixtures-stats.py. Odds ratio within
// 1e-12 relative; p-values 1e-6 absolute (1e-3 relative below 1e-3).
const fx = loadFixture('stats-tests');

describe('fisherExact against scipy', () => {
  for (const c of fx.fisher) {
    it(`${JSON.stringify(c.table)}, ${c.alternative}`, () => {
      const r = fisherExact(c.table, { alternative: c.alternative });
      expect(close(r.oddsRatio, c.oddsRatio, 1e-12)).toBe(true);
      expect(closeP(r.pValue, c.pValue), `${r.pValue} vs ${c.pValue}`).toBe(true);
    });
  }
  it('rejects negative and fractional counts', () => {
    expect(() =>
      fisherExact([
        [1, -1],
        [2, 3],
      ]),
    ).toThrow(/invalid table\[0\]\[1\]: -1/);
    expect(() =>
      fisherExact([
        [1, 1],
        [2.5, 3],
      ]),
    ).toThrow(/invalid table\[1\]\[0\]: 2.5/);
  });
});

import { describe, expect, it } from 'vitest';
import { close, closeP, loadFixture } from '../../test/stats/load-fixture.js';
import { chiSquareContingency, chiSquareHomogeneity } from './chi-square.js';

// Oracle: scipy.stats.chi2_contingency(correction=False) on the table with all-zero rows/columns
// dropped (scripts/fixtures-stats.py). Statistic and expected counts within 1e-9 relative,
// p-values 1e-6 absolute (1e-3 relative below 1e-3), dof exact.
const fx = loadFixture('stats-tests');

describe('chiSquareContingency against scipy', () => {
  for (const c of fx.chiSquare) {
    it(c.name, () => {
      const r = chiSquareContingency(c.table);
      if (r.status !== 'ok') throw new Error('unexpected insufficient_data');
      expect(close(r.statistic, c.statistic, 1e-9, 1e-12), `${r.statistic} vs ${c.statistic}`).toBe(true);
      expect(closeP(r.pValue, c.pValue), `${r.pValue} vs ${c.pValue}`).toBe(true);
      expect(r.dof).toBe(c.dof);
      r.expected.forEach((row, i) => {
        row.forEach((e, j) => {
          expect(close(e, c.expected[i][j], 1e-9, 1e-12)).toBe(true);
        });
      });
    });
  }
});

describe('chiSquareContingency edges', () => {
  it('an all-zero row is dropped: same result as the table without it', () => {
    const a = chiSquareContingency([
      [3, 7],
      [0, 0],
      [6, 2],
    ]);
    const b = chiSquareContingency([
      [3, 7],
      [6, 2],
    ]);
    expect(a.status === 'ok' && b.status === 'ok' && [a.statistic, a.pValue, a.dof]).toEqual(
      b.status === 'ok' && [b.statistic, b.pValue, b.dof],
    );
  });
  it('a 1-column table gives statistic 0, p 1, dof 0', () => {
    expect(chiSquareContingency([[4], [9]])).toMatchObject({ statistic: 0, pValue: 1, dof: 0 });
  });
  it('a table with no counts is insufficient data', () => {
    expect(chiSquareContingency([[0, 0]])).toEqual({ status: 'insufficient_data', n: 0 });
    expect(chiSquareContingency([])).toEqual({ status: 'insufficient_data', n: 0 });
  });
  it('rejects ragged tables and negative counts', () => {
    expect(() => chiSquareContingency([[1, 2], [3]])).toThrow(/row 1 has 1 cells/);
    expect(() => chiSquareContingency([[1, -2]])).toThrow(/invalid table\[0\]\[1\]: -2/);
  });
});

describe('chiSquareHomogeneity', () => {
  it('builds the 2×k table over the union of categories', () => {
    const ref = new Map([
      ['a', 30],
      ['b', 20],
    ]);
    const cur = new Map([
      ['b', 25],
      ['c', 5],
    ]);
    const r = chiSquareHomogeneity(ref, cur);
    const direct = chiSquareContingency([
      [30, 20, 0],
      [0, 25, 5],
    ]);
    expect(r.status === 'ok' && r.categories).toEqual(['a', 'b', 'c']);
    expect(r.status === 'ok' && direct.status === 'ok' && r.statistic === direct.statistic).toBe(true);
  });
});

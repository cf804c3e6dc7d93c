import { describe, expect, it } from 'vitest';
import { close, closeP, loadFixture } from '../../test/stats/load-fixture.js';
import {
  binomialCoefficientLn,
  chiSquareSf,
  hypergeometricPmf,
  kolmogorovSf,
  kstwoSf,
  normalCdf,
  normalQuantile,
  normalSf,
  smirnovSf,
} from './distributions.js';

// Oracle: scripts/fixtures-stats.py (SciPy 1.17). Tolerance: 1e-9 relative for every function here,
// tail probabilities included (tighter than the p-value rule of 1e-6 absolute / 1e-3 relative).
const fx = loadFixture('stats-distributions');

type Row = Record<string, number>;

function mismatches(rows: Row[], check: (row: Row) => boolean): Row[] {
  return rows.filter((row) => !check(row));
}

describe('normal', () => {
  it('cdf and sf match scipy within 1e-9 relative, including |x| up to 38.5', () => {
    expect(mismatches(fx.normal, (r) => close(normalCdf(r.x), r.cdf, 1e-9, 1e-300))).toEqual([]);
    expect(mismatches(fx.normal, (r) => close(normalSf(r.x), r.sf, 1e-9, 1e-300))).toEqual([]);
  });
  it('quantile matches scipy.special.ndtri within 1e-9 relative, down to p = 1e-300', () => {
    expect(mismatches(fx.normalQuantile, (r) => close(normalQuantile(r.p), r.x, 1e-9, 1e-12))).toEqual([]);
  });
  it('quantile handles 0, 1 and rejects out-of-range p', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(() => normalQuantile(Number.NaN)).toThrow(/invalid p/);
  });
});

describe('chiSquareSf', () => {
  it('matches scipy.stats.chi2.sf within 1e-9 relative (tiny tails included)', () => {
    expect(mismatches(fx.chiSquare, (r) => close(chiSquareSf(r.x, r.dof), r.sf, 1e-9, 1e-300))).toEqual([]);
  });
  it('rejects dof <= 0', () => {
    expect(() => chiSquareSf(1, 0)).toThrow(RangeError);
  });
});

describe('Kolmogorov and Smirnov', () => {
  it('kolmogorovSf matches scipy.special.kolmogorov within 1e-9 relative', () => {
    expect(mismatches(fx.kolmogorov, (r) => close(kolmogorovSf(r.x), r.sf, 1e-9, 1e-300))).toEqual([]);
  });
  it('smirnovSf matches scipy.special.smirnov within 1e-9 relative', () => {
    expect(mismatches(fx.smirnov, (r) => close(smirnovSf(r.n, r.x), r.sf, 1e-9, 1e-300))).toEqual([]);
  });
  it('kstwoSf matches scipy.stats.kstwo.sf across every regime within 1e-9 relative', () => {
    const bad = mismatches(
      fx.kstwo,
      (r) => close(kstwoSf(r.d, r.n), r.sf, 1e-9, 1e-300) && closeP(kstwoSf(r.d, r.n), r.sf),
    );
    expect(bad.map((r: Row) => ({ ...r, got: kstwoSf(r.d, r.n) }))).toEqual([]);
  });
  it('kstwoSf rejects a non-integer n', () => {
    expect(() => kstwoSf(0.1, 2.5)).toThrow(/invalid n/);
  });
});

describe('binomial and hypergeometric', () => {
  it('binomialCoefficientLn matches gammaln differences within 1e-9 relative', () => {
    expect(
      mismatches(fx.binomialCoefficientLn, (r) =>
        close(binomialCoefficientLn(r.n, r.k), r.value, 1e-9, 1e-9),
      ),
    ).toEqual([]);
  });
  it('hypergeometricPmf matches scipy.stats.hypergeom.pmf within 1e-9 relative', () => {
    expect(
      mismatches(fx.hypergeometric, (r) =>
        close(hypergeometricPmf(r.k, r.total, r.successes, r.draws), r.pmf, 1e-9, 1e-300),
      ),
    ).toEqual([]);
  });
});

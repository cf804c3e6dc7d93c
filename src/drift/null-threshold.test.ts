import { describe, expect, it } from 'vitest';
import { sortFloat64 } from '../stats/quantile.js';
import { createRng } from '../stats/random.js';
import { hellingerDistance } from './hellinger.js';
import { jensenShannonCategorical } from './jensen-shannon.js';
import { sampleMultinomial } from './multinomial.js';
import { debiasEffect, empiricalPValue, estimateNullThreshold } from './null-threshold.js';
import { prepareCategoricalReference, prepareNumericReference } from './prepare.js';
import { psiNumeric } from './psi.js';
import { wasserstein1Sorted } from './wasserstein.js';

const normals = (seed: number, size: number, mean = 0, sd = 1): Float64Array => {
  const rng = createRng(seed);
  return Float64Array.from({ length: size }, () => mean + sd * rng.normal());
};

describe('estimateNullThreshold', () => {
  it('resamples W1 exactly as an explicit draw with the same seed would (tolerance 1e-12 relative)', () => {
    const reference = prepareNumericReference(normals(1, 300));
    const result = estimateNullThreshold({
      reference,
      m: 80,
      statistic: 'wasserstein',
      resamples: 1,
      seed: 7,
    });
    const rng = createRng(7);
    const sample = Float64Array.from(
      { length: result.mEffective },
      () => reference.sorted[Math.floor(rng.next() * 300)],
    );
    const expected = wasserstein1Sorted(reference.sorted, sample.sort()) / reference.std;
    expect(result.mEffective).toBe(Math.round((300 * 80) / 380));
    expect(result.values[0]).toBeCloseTo(expected, 12);
  });

  it('resamples a binned distance as one multinomial draw of the reference bin counts', () => {
    const values = ['a', 'b', 'b', 'c', 'c', 'c', 'a', 'c', 'd', 'c'];
    const reference = prepareCategoricalReference(values);
    const result = estimateNullThreshold({
      reference,
      m: 60,
      statistic: 'hellinger',
      resamples: 1,
      seed: 3,
      effectiveSize: false,
    });
    const counts = sampleMultinomial(createRng(3), 60, [2, 2, 5, 1], new Float64Array(4));
    expect(result.mEffective).toBe(60);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(60);
    expect(result.values[0]).toBe(hellingerDistance([2, 2, 5, 1], counts));
  });

  it('is reproducible from its seed and changes with it', () => {
    const reference = prepareNumericReference(normals(2, 500));
    const a = estimateNullThreshold({ reference, m: 100, statistic: 'psi', seed: 11 });
    const b = estimateNullThreshold({ reference, m: 100, statistic: 'psi', seed: 11 });
    const c = estimateNullThreshold({ reference, m: 100, statistic: 'psi', seed: 12 });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(Array.from(a.values)).not.toEqual(Array.from(c.values));
  });

  it('puts the threshold at the order statistic where d > threshold ⇔ p ≤ α', () => {
    const reference = prepareNumericReference(normals(3, 400));
    const t = estimateNullThreshold({
      reference,
      m: 100,
      statistic: 'jensenShannon',
      alpha: 0.05,
      resamples: 199,
    });
    expect(t.threshold).toBe(t.values[189]); // v₍190₎ = v₍0.95·200₎
    for (const d of [t.values[188], t.values[189], t.values[190], t.threshold * 1.0000001, 0, 1]) {
      expect(d > t.threshold).toBe(empiricalPValue(t.values, d) <= 0.05);
    }
    const tiny = estimateNullThreshold({ reference, m: 100, statistic: 'psi', alpha: 0.05, resamples: 10 });
    expect(tiny.threshold).toBe(Infinity);
  });

  it('rejects invalid arguments with the value named', () => {
    const reference = prepareNumericReference([1, 2, 3]);
    expect(() => estimateNullThreshold({ reference, m: 0, statistic: 'psi' })).toThrow(/m: 0/);
    expect(() => estimateNullThreshold({ reference, m: 5, statistic: 'psi', alpha: 1 })).toThrow(/alpha: 1/);
    expect(() => estimateNullThreshold({ reference, m: 5, statistic: 'psi', resamples: 0 })).toThrow(
      /resamples: 0/,
    );
    expect(() => estimateNullThreshold({ reference, m: 5, statistic: 'ks' as 'psi' })).toThrow(
      /statistic: ks/,
    );
    const categorical = prepareCategoricalReference(['a']);
    expect(() => estimateNullThreshold({ reference: categorical, m: 5, statistic: 'wasserstein' })).toThrow(
      TypeError,
    );
  });
});

describe('debiasEffect', () => {
  it('subtracts the null mean from PSI and the null mean square from squared distances', () => {
    const nullValues = [0.01, 0.03, 0.05];
    expect(debiasEffect('psi', 0.2, nullValues)).toBeCloseTo(0.17, 15);
    expect(debiasEffect('psi', 0.02, nullValues)).toBe(0);
    expect(debiasEffect('jensenShannon', 0.2, nullValues)).toBeCloseTo(Math.sqrt(0.04 - 0.0035 / 3), 15);
    expect(debiasEffect('hellinger', 0.01, nullValues)).toBe(0);
    expect(debiasEffect('wasserstein', Infinity, nullValues)).toBe(Infinity);
    expect(debiasEffect('psi', Number.NaN, nullValues)).toBeNaN();
    expect(debiasEffect('psi', 0.3, [])).toBe(0.3);
  });
});

describe('empiricalPValue', () => {
  it('is (1 + #{null ≥ d}) / (1 + B)', () => {
    const nullSorted = [0.1, 0.2, 0.2, 0.3];
    expect(empiricalPValue(nullSorted, 0.05)).toBe(1);
    expect(empiricalPValue(nullSorted, 0.2)).toBe(4 / 5);
    expect(empiricalPValue(nullSorted, 0.25)).toBe(2 / 5);
    expect(empiricalPValue(nullSorted, 0.5)).toBe(1 / 5);
    expect(empiricalPValue(nullSorted, Number.NaN)).toBeNaN();
  });
});

// Property: with the reference and the window drawn independently from ONE population, the share of
// trials where the window's PSI exceeds the threshold is about α. (Unconditionally, over reference draws:
// with one fixed reference the rate varies around α from one reference to another.) 300 trials: binomial
// sd √(0.05·0.95/300) ≈ 0.013, so the accepted band [0.01, 0.10] is about ±3.5 sd; the literal same-size
// resampling lands far outside it.
describe('false-positive rate on same-population windows', () => {
  const n = 1000;
  const m = 1000;
  const trials = Array.from({ length: 300 }, (_, i) => ({
    reference: prepareNumericReference(normals(100 + i, n)),
    current: normals(10_000 + i, m),
    shifted: normals(20_000 + i, m, 0.3),
  }));

  const rate = (effectiveSize: boolean): number =>
    trials.filter(({ reference, current }, i) => {
      const t = estimateNullThreshold({
        reference,
        m,
        statistic: 'psi',
        seed: i,
        resamples: 99,
        effectiveSize,
      });
      return psiNumeric(reference.sorted, current) > t.threshold;
    }).length / trials.length;

  it('is about α with the effective-size null', () => {
    const fpr = rate(true);
    expect(fpr).toBeGreaterThanOrEqual(0.01);
    expect(fpr).toBeLessThanOrEqual(0.1);
  });

  it('is several times α when windows of the literal size m are resampled (why m′ is the default)', () => {
    const r = rate(false);
    expect(r).toBeGreaterThan(0.2);
  });

  it('flags a 0.3 sd shift in (almost) every trial', () => {
    const flagged = trials.slice(0, 50).filter(({ reference, shifted }, i) => {
      const t = estimateNullThreshold({ reference, m, statistic: 'psi', seed: i, resamples: 99 });
      return psiNumeric(reference.sorted, shifted) > t.threshold;
    }).length;
    expect(flagged).toBeGreaterThanOrEqual(48);
  });
});

// The same property for the other null paths: JS on categories (multinomial draws) and normalised W1
// (position draws). 200 trials each: binomial sd ≈ 0.015; band [0.01, 0.11].
describe('false-positive rate of the other statistics', () => {
  const letters = (seed: number, size: number): string[] => {
    const rng = createRng(seed);
    return Array.from({ length: size }, () => 'abcdef'[Math.floor(rng.next() ** 2 * 6)]);
  };

  it('is about α for JS distance on categories', () => {
    let flagged = 0;
    for (let i = 0; i < 200; i++) {
      const reference = prepareCategoricalReference(letters(100 + i, 1000));
      const current = prepareCategoricalReference(letters(5000 + i, 800)).counts;
      const t = estimateNullThreshold({
        reference,
        m: 800,
        statistic: 'jensenShannon',
        seed: i,
        resamples: 99,
      });
      if (jensenShannonCategorical(reference.counts, current) > t.threshold) flagged++;
    }
    expect(flagged / 200).toBeGreaterThanOrEqual(0.01);
    expect(flagged / 200).toBeLessThanOrEqual(0.11);
  });

  it('is about α for normalised W1', () => {
    let flagged = 0;
    for (let i = 0; i < 200; i++) {
      const reference = prepareNumericReference(normals(100 + i, 500));
      const current = sortFloat64(normals(5000 + i, 400));
      const t = estimateNullThreshold({
        reference,
        m: 400,
        statistic: 'wasserstein',
        seed: i,
        resamples: 99,
      });
      if (wasserstein1Sorted(reference.sorted, current) / reference.std > t.threshold) flagged++;
    }
    expect(flagged / 200).toBeGreaterThanOrEqual(0.01);
    expect(flagged / 200).toBeLessThanOrEqual(0.11);
  });
});

// At large sizes the resampled null must match the chi-square asymptotics of the binned distances:
// PSI ≈ χ²₉/m′ and JS² ≈ χ²₉/(8 m′ ln 2) for 10 equiprobable bins, whose 95th percentile is
// χ²₉(0.95) = 16.919. With B = 999 the estimated quantile has a relative sd of about 4 %; band ±15 %.
describe('agreement with the asymptotic null', () => {
  const reference = prepareNumericReference(normals(42, 100_000));
  const m = 50_000;
  const mEffective = Math.round((100_000 * m) / 150_000);

  it('PSI threshold ≈ χ²₉(0.95) / m′', () => {
    const t = estimateNullThreshold({ reference, m, statistic: 'psi', resamples: 999, seed: 1 });
    expect(t.mEffective).toBe(mEffective);
    expect(t.threshold / (16.919 / mEffective)).toBeGreaterThan(0.85);
    expect(t.threshold / (16.919 / mEffective)).toBeLessThan(1.15);
  });

  it('JS threshold² ≈ χ²₉(0.95) / (8 m′ ln 2)', () => {
    const t = estimateNullThreshold({ reference, m, statistic: 'jensenShannon', resamples: 999, seed: 2 });
    const expected = 16.919 / (8 * mEffective * Math.LN2);
    expect(t.threshold ** 2 / expected).toBeGreaterThan(0.85);
    expect(t.threshold ** 2 / expected).toBeLessThan(1.15);
  });
});

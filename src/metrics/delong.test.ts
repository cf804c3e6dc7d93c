import { describe, expect, it } from 'vitest';
import { expectClose } from '../../test/metrics/expect-close.js';
import { loadFixture } from '../../test/stats/load-fixture.js';
import { normalCdf } from '../stats/distributions.js';
import { createRng } from '../stats/random.js';
import { splitScores } from './binary-curve.js';
import { delongComponents, delongComponentsSorted, delongInterval, delongTest } from './delong.js';
import { rocAuc } from './roc-auc.js';

// Oracle: DeLong in NumPy, the O(n²) pairwise definition and Sun & Xu's midranks (asserted equal
// in scripts/fixtures-metrics.py); z from scipy.stats.norm. Tolerance 1e-9 relative; p-values 1e-6 absolute.
const RTOL = 1e-9;
const { cases, delongTests } = loadFixture('metrics-binary');

describe('delongInterval against NumPy', () => {
  for (const c of cases.filter((x: { delong?: unknown }) => x.delong)) {
    it(c.name, () => {
      for (const key of ['delong', 'delong90']) {
        const expected = c[key];
        const d = delongInterval(c.yTrue, c.scores, {
          positiveLabel: c.positiveLabel,
          confidence: expected.confidence,
        });
        if ('status' in d) throw new Error('unexpected insufficient data');
        expectClose(d.auc, expected.auc, RTOL, 1e-15, 'auc');
        expectClose(d.variance, expected.variance, RTOL, 1e-18, 'variance');
        expectClose(d.se, expected.se, RTOL, 1e-15, 'se');
        expectClose(d.low, expected.low, RTOL, 1e-15, 'low');
        expectClose(d.high, expected.high, RTOL, 1e-15, 'high');
        expectClose(d.auc, rocAuc(c.yTrue, c.scores, { positiveLabel: c.positiveLabel }), 1e-12, 1e-15);
      }
    });
  }

  it('returns insufficient data with fewer than two positives or negatives', () => {
    expect(delongInterval([0, 0, 1], [0.1, 0.2, 0.3])).toEqual({ status: 'insufficient_data', n: 1 });
    expect(delongInterval([], [])).toEqual({ status: 'insufficient_data', n: 0 });
  });
});

describe('delongTest against NumPy', () => {
  delongTests.forEach((t: Record<string, number & number[]>, i: number) => {
    it(`case ${i}`, () => {
      const r = delongTest(t.yTrue, t.scoresA, t.scoresB);
      if ('status' in r) throw new Error('unexpected insufficient data');
      expectClose(r.aucA, t.aucA, RTOL);
      expectClose(r.aucB, t.aucB, RTOL);
      expectClose(r.se, t.se, RTOL);
      expectClose(r.z, t.z, RTOL);
      expectClose(r.pValue, t.pValue, 0, 1e-6);
    });
  });

  it('gives a NaN p-value when both scores are the same (se = 0)', () => {
    const y = [0, 1, 0, 1, 1, 0];
    const s = [0.1, 0.8, 0.4, 0.3, 0.9, 0.2];
    const r = delongTest(y, s, s);
    if ('status' in r) throw new Error('unexpected insufficient data');
    expect(r.se).toBe(0);
    expect(r.pValue).toBeNaN();
  });
});

describe('delongComponentsSorted', () => {
  it('gives the same components as the order-preserving version, sorted', () => {
    const { yTrue, scoresB } = delongTests[1];
    const a = delongComponents(yTrue, scoresB);
    const b = delongComponentsSorted(splitScores(yTrue, scoresB));
    expect(b.auc).toBeCloseTo(a.auc, 14);
    expect(Array.from(b.v10)).toEqual(Array.from(a.v10).sort((x, y) => x - y));
    expect(Array.from(b.v01)).toEqual(Array.from(a.v01).sort((x, y) => y - x));
  });
});

describe('delongInterval coverage', () => {
  it('covers the true AUC of a binormal model about 95 % of the time (200 seeded experiments)', () => {
    // Positives N(1, 1), negatives N(0, 1): AUC = Φ(1/√2). 80 + 120 samples per experiment; a
    // binomial(200, 0.95) proportion has sd 0.015, so [0.89, 0.99] is a fair band.
    const truth = normalCdf(1 / Math.SQRT2);
    let covered = 0;
    for (let e = 0; e < 200; e++) {
      const rng = createRng(500 + e);
      const y = Array.from({ length: 200 }, (_, i) => (i < 80 ? 1 : 0));
      const s = y.map((v) => rng.normal() + v);
      const d = delongInterval(y, s);
      if ('status' in d) throw new Error('unexpected insufficient data');
      if (d.low <= truth && truth <= d.high) covered++;
    }
    expect(covered / 200).toBeGreaterThan(0.89);
    expect(covered / 200).toBeLessThan(0.99);
  });
});

import { describe, expect, it } from 'vitest';
import { expectArrayClose, expectClose } from '../../test/metrics/expect-close.js';
import { loadFixture } from '../../test/stats/load-fixture.js';
import { averagePrecision, precisionRecallCurve } from './average-precision.js';

// Oracle: scikit-learn 1.2.1 average_precision_score / precision_recall_curve. Tolerance 1e-9 relative.
const RTOL = 1e-9;
const ATOL = 1e-12;
const { cases } = loadFixture('metrics-binary');

describe('averagePrecision against scikit-learn', () => {
  for (const c of cases) {
    it(c.name, () => {
      const ap = averagePrecision(c.yTrue, c.scores, { positiveLabel: c.positiveLabel });
      const hasPositives = c.yTrue.some((y: unknown) => y === c.positiveLabel);
      // Documented deviation: without positives scikit-learn 1.2.1 warns and returns 0; we return NaN.
      if (!hasPositives) {
        expect(Math.abs(c.averagePrecisionSklearn)).toBe(0);
        expect(ap).toBeNaN();
      } else expectClose(ap, c.averagePrecisionSklearn, RTOL, ATOL, c.name);
    });
  }
});

describe('precisionRecallCurve against scikit-learn', () => {
  for (const c of cases) {
    it(c.name, () => {
      const pr = precisionRecallCurve(c.yTrue, c.scores, { positiveLabel: c.positiveLabel });
      expectArrayClose(pr.precision, c.prCurve.precision, RTOL, ATOL, 'precision');
      expectArrayClose(pr.recall, c.prCurve.recall, RTOL, ATOL, 'recall');
      expectArrayClose(pr.thresholds, c.prCurve.thresholds, RTOL, ATOL, 'thresholds');
    });
  }
});

describe('averagePrecision by hand', () => {
  it('is the step-wise sum Σ ΔR·P over distinct thresholds', () => {
    // Sorted by score: 1 (0.9), 0 (0.8), 1 (0.7), 0 (0.1) → AP = ½·1 + ½·⅔.
    expectClose(averagePrecision([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]), 0.5 + 1 / 3, 1e-15);
  });

  it('treats tied scores as one step', () => {
    // One threshold holding 1 positive and 1 negative: precision ½ at recall 1.
    expect(averagePrecision([1, 0], [0.5, 0.5])).toBe(0.5);
  });

  it('is NaN for empty input', () => {
    expect(averagePrecision([], [])).toBeNaN();
  });
});

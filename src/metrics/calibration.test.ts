import { describe, expect, it } from 'vitest';
import { expectArrayClose, expectClose } from '../../test/metrics/expect-close.js';
import { loadFixture } from '../../test/stats/load-fixture.js';
import { calibrationCurve, expectedCalibrationError } from './calibration.js';

// Oracle: scikit-learn 1.2.1 calibration_curve; ECE computed in NumPy from its definition
// on the same bins (scripts/fixtures-metrics.py). Tolerance 1e-9 relative.
const RTOL = 1e-9;
const { cases } = loadFixture('metrics-binary');

describe('calibrationCurve against scikit-learn', () => {
  for (const c of cases.filter((x: { calibration?: unknown }) => x.calibration)) {
    it(c.name, () => {
      for (const strategy of ['uniform', 'quantile'] as const) {
        for (const nBins of [5, 10]) {
          const expected = c.calibration[`${strategy}${nBins}`];
          const curve = calibrationCurve(c.yTrue, c.scores, {
            nBins,
            strategy,
            positiveLabel: c.positiveLabel,
          });
          expectArrayClose(curve.probTrue, expected.probTrue, RTOL, 0, `${strategy}${nBins} probTrue`);
          expectArrayClose(curve.probPred, expected.probPred, RTOL, 0, `${strategy}${nBins} probPred`);
        }
      }
    });
  }
});

describe('expectedCalibrationError against NumPy', () => {
  for (const c of cases.filter((x: { ece10?: number }) => x.ece10 !== undefined)) {
    it(c.name, () => {
      const opts = { positiveLabel: c.positiveLabel };
      expectClose(expectedCalibrationError(c.yTrue, c.scores, opts), c.ece10, RTOL, 1e-15, 'ece10');
      expectClose(
        expectedCalibrationError(c.yTrue, c.scores, { ...opts, nBins: 15 }),
        c.ece15,
        RTOL,
        1e-15,
        'ece15',
      );
    });
  }
});

describe('calibration by hand', () => {
  it('puts a probability on a bin edge into the lower bin (np.searchsorted, side left)', () => {
    const curve = calibrationCurve([0, 1, 1], [0.5, 0.5, 0.75], { nBins: 2 });
    expect(curve.bins.map((b) => b.count)).toEqual([2, 1]);
    expect(curve.bins[0]).toMatchObject({ low: 0, high: 0.5, meanPredicted: 0.5, fractionPositive: 0.5 });
  });

  it('gives ECE 0 for a perfectly calibrated bin and |acc − conf| for one bin', () => {
    expect(expectedCalibrationError([0, 1], [0.5, 0.5])).toBe(0);
    expectClose(expectedCalibrationError([0, 0, 0, 1], [0.9, 0.9, 0.9, 0.9]), 0.65, 1e-15);
  });

  it('rejects invalid bins, strategies and probabilities', () => {
    expect(() => calibrationCurve([0], [0.2], { nBins: 0 })).toThrow(/nBins/);
    expect(() => calibrationCurve([0], [0.2], { strategy: 'x' as 'uniform' })).toThrow(/strategy/);
    expect(() => calibrationCurve([0], [1.2])).toThrow(/probabilities\[0\]/);
  });
});

import { describe, expect, it } from 'vitest';
import { expectArrayClose } from '../../test/metrics/expect-close.js';
import { loadFixture } from '../../test/stats/load-fixture.js';
import { binaryCurve } from './binary-curve.js';
import { metricsAtThresholds } from './thresholds.js';

// Oracle: scikit-learn 1.2.1 confusion_matrix / precision_score / recall_score / f1_score
// (zero_division=0) on score ≥ t. Tolerance 1e-9 relative.
const RTOL = 1e-9;
const { cases } = loadFixture('metrics-binary');

describe('metricsAtThresholds at given thresholds, against scikit-learn', () => {
  for (const c of cases) {
    it(c.name, () => {
      const rows = c.atThresholds as Record<string, number>[];
      const m = metricsAtThresholds(c.yTrue, c.scores, {
        positiveLabel: c.positiveLabel,
        thresholds: rows.map((r) => r.threshold),
      });
      for (const key of ['tp', 'fp', 'fn', 'tn', 'precision', 'recall', 'f1', 'fpr'] as const) {
        expectArrayClose(
          m[key],
          rows.map((r) => r[key]),
          RTOL,
          0,
          key,
        );
      }
    });
  }
});

describe('metricsAtThresholds at every distinct score', () => {
  it('matches the cumulative counts of the ROC curve', () => {
    const c = cases[2];
    const m = metricsAtThresholds(c.yTrue, c.scores);
    const curve = binaryCurve(c.yTrue, c.scores);
    expect(Array.from(m.thresholds)).toEqual(Array.from(curve.thresholds));
    expect(Array.from(m.tp)).toEqual(Array.from(curve.tps));
    expect(m.fn[m.fn.length - 1]).toBe(0);
  });

  it('applies zeroDivision when nothing is predicted positive', () => {
    const m = metricsAtThresholds([0, 1], [0.2, 0.4], { thresholds: [0.9], zeroDivision: 1 });
    expect(m.precision[0]).toBe(1);
    expect(m.recall[0]).toBe(0);
    expect(m.f1[0]).toBe(0);
  });
});

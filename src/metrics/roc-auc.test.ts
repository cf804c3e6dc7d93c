import { describe, expect, it } from 'vitest';
import { expectArrayClose as expectArrayCloseTo } from '../../test/metrics/expect-close.js';
import { close, loadFixture } from '../../test/stats/load-fixture.js';
import { rocAuc, rocAucOvr, rocCurve } from './roc-auc.js';

// Oracle: scikit-learn 1.2.1 (scripts/fixtures-metrics.py). Tolerance: 1e-9 relative (+1e-12 absolute near 0).
const RTOL = 1e-9;
const ATOL = 1e-12;
const binary = loadFixture('metrics-binary');
const multiclass = loadFixture('metrics-multiclass');

function expectArrayClose(actual: ArrayLike<number>, expected: number[], label: string): void {
  expectArrayCloseTo(actual, expected, RTOL, ATOL, label);
}

describe('rocAuc against scikit-learn roc_auc_score', () => {
  for (const c of binary.cases) {
    it(c.name, () => {
      const auc = rocAuc(c.yTrue, c.scores, { positiveLabel: c.positiveLabel });
      if (Number.isNaN(c.rocAuc)) expect(auc).toBeNaN();
      else expect(close(auc, c.rocAuc, RTOL, ATOL), `${auc} vs ${c.rocAuc}`).toBe(true);
    });
  }
});

describe('rocCurve against scikit-learn roc_curve', () => {
  for (const c of binary.cases) {
    it(`${c.name} (drop_intermediate true and false)`, () => {
      for (const [key, dropIntermediate] of [
        ['rocCurveDrop', true],
        ['rocCurveAll', false],
      ] as const) {
        const curve = rocCurve(c.yTrue, c.scores, { positiveLabel: c.positiveLabel, dropIntermediate });
        expectArrayClose(curve.fpr, c[key].fpr, `${key}.fpr`);
        expectArrayClose(curve.tpr, c[key].tpr, `${key}.tpr`);
        expectArrayClose(curve.thresholds, c[key].thresholds, `${key}.thresholds`);
      }
    });
  }
});

describe('rocAucOvr against roc_auc_score(multi_class="ovr")', () => {
  for (const c of multiclass.ovr) {
    it(c.name, () => {
      const labels = c.labels ?? undefined;
      expect(close(rocAucOvr(c.yTrue, c.probabilities, { labels }), c.macro, RTOL)).toBe(true);
      expect(
        close(rocAucOvr(c.yTrue, c.probabilities, { labels, average: 'weighted' }), c.weighted, RTOL),
      ).toBe(true);
      expectArrayClose(rocAucOvr(c.yTrue, c.probabilities, { labels, average: 'none' }), c.none, 'none');
    });
  }

  it('leaves a class absent from yTrue out of the macro average (scikit-learn raises)', () => {
    const probs = [
      [0.7, 0.2, 0.1],
      [0.2, 0.7, 0.1],
      [0.6, 0.3, 0.1],
      [0.1, 0.8, 0.1],
    ];
    const perClass = rocAucOvr([0, 1, 0, 1], probs, { labels: [0, 1, 2], average: 'none' });
    expect(perClass.slice(0, 2)).toEqual([1, 1]);
    expect(perClass[2]).toBeNaN();
    expect(rocAucOvr([0, 1, 0, 1], probs, { labels: [0, 1, 2] })).toBe(1);
  });

  it('rejects rows of the wrong width and labels missing from the columns', () => {
    expect(() => rocAucOvr([0, 1], [[0.5, 0.5], [1]])).toThrow(
      /probabilities\[1\]: 1 columns \(expected 2\)/,
    );
    expect(() =>
      rocAucOvr(
        [0, 1, 2],
        [
          [1, 0],
          [0, 1],
          [0, 1],
        ],
        { labels: [0, 1] },
      ),
    ).toThrow(/expected only 0, 1/);
  });
});

describe('rocAuc edge cases', () => {
  it('is NaN for empty input and for a single class', () => {
    expect(rocAuc([], [])).toBeNaN();
    expect(rocAuc([1, 1, 1], [0.1, 0.2, 0.3])).toBeNaN();
  });

  it('counts a tied positive/negative pair as one half', () => {
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.5, 0.5, 0.9])).toBe(0.875);
  });

  it('rejects non-finite scores, mismatched lengths and non-binary targets', () => {
    expect(() => rocAuc([0, 1], [0.1, Number.NaN])).toThrow(/scores\[1\]: NaN/);
    expect(() => rocAuc([0, 1], [0.1])).toThrow(RangeError);
    expect(() => rocAuc([0, 1, 2], [0.1, 0.2, 0.3])).toThrow(/binary target/);
    expect(() => rocAuc(['0', '1'], [0.1, 0.2])).toThrow(/labels "0" and "1" besides the positive label 1/);
  });

  it('is invariant to a monotone transform of the scores', () => {
    const y = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0];
    const s = [0.1, 0.4, 0.35, 0.8, 0.7, 0.2, 0.5, 0.9, 0.3, 0.3];
    expect(
      rocAuc(
        y,
        s.map((x) => Math.exp(3 * x) - 7),
      ),
    ).toBe(rocAuc(y, s));
  });
});

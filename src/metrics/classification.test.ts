import { describe, expect, it } from 'vitest';
import { expectArrayClose, expectClose } from '../../test/metrics/expect-close.js';
import { loadFixture } from '../../test/stats/load-fixture.js';
import { type Average, accuracy, f1, precision, recall, specificity } from './classification.js';

// Oracle: scikit-learn 1.2.1 accuracy_score, confusion_matrix, precision/recall/f1_score with
// zero_division 0 and 1; specificity in NumPy from multilabel_confusion_matrix. Tolerance 1e-9 relative.
const RTOL = 1e-9;
const { classification } = loadFixture('metrics-multiclass');
const functions = { precision, recall, f1, specificity } as const;

describe('accuracy against scikit-learn', () => {
  for (const c of classification) {
    it(c.name, () => {
      expectClose(accuracy(c.yTrue, c.yPred), c.accuracy, RTOL);
    });
  }
});

describe('precision, recall, F1 and specificity against scikit-learn', () => {
  for (const c of classification) {
    for (const [key, expected] of Object.entries(c.metrics) as [string, Record<string, unknown>][]) {
      const [avg, zd] = key.split('/');
      it(`${c.name}: average ${avg}, zeroDivision ${zd}`, () => {
        const options = {
          average: avg as Average,
          zeroDivision: Number(zd),
          labels: c.labels ?? undefined,
          positiveLabel: c.positiveLabel,
        };
        for (const [name, fn] of Object.entries(functions)) {
          const want = expected[name];
          if (want && typeof want === 'object' && 'error' in want) {
            expect(() => fn(c.yTrue, c.yPred, options)).toThrow(RangeError);
            continue;
          }
          const got = fn(c.yTrue, c.yPred, options) as number | number[];
          if (Array.isArray(got)) expectArrayClose(got, want as number[], RTOL, 0, name);
          else expectClose(got, want as number, RTOL, 0, name);
        }
      });
    }
  }
});

describe('classification edge cases', () => {
  it('rejects average binary on a multiclass target and an absent positive label', () => {
    expect(() => precision([0, 1, 2], [0, 1, 2])).toThrow(/binary with 3 classes/);
    expect(() => recall(['a', 'b'], ['a', 'b'])).toThrow(/positiveLabel: 1/);
    expect(() => f1([0, 1], [0, 1], { average: 'mean' as Average })).toThrow(/average: mean/);
  });

  it('rejects length mismatches', () => {
    expect(() => accuracy([0, 1], [0])).toThrow(RangeError);
  });
});

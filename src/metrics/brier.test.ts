import { describe, expect, it } from 'vitest';
import { expectClose } from '../../test/metrics/expect-close.js';
import { loadFixture } from '../../test/stats/load-fixture.js';
import { brierScore } from './brier.js';

// Oracle: scikit-learn 1.2.1 brier_score_loss. Tolerance 1e-9 relative.
const { cases } = loadFixture('metrics-binary');

describe('brierScore against scikit-learn', () => {
  for (const c of cases.filter((x: { brier?: number }) => x.brier !== undefined)) {
    it(c.name, () => {
      expectClose(brierScore(c.yTrue, c.scores, { positiveLabel: c.positiveLabel }), c.brier, 1e-9);
    });
  }

  it('is 0 for perfect certain predictions and 1 for certainly wrong ones', () => {
    expect(brierScore([0, 1], [0, 1])).toBe(0);
    expect(brierScore([0, 1], [1, 0])).toBe(1);
  });

  it('rejects probabilities outside [0, 1]; NaN for empty input', () => {
    expect(() => brierScore([0], [-0.1])).toThrow(RangeError);
    expect(brierScore([], [])).toBeNaN();
  });
});

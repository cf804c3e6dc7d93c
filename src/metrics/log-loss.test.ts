import { describe, expect, it } from 'vitest';
import { expectClose } from '../../test/metrics/expect-close.js';
import { loadFixture } from '../../test/stats/load-fixture.js';
import { logLoss, logLossMulticlass } from './log-loss.js';

// Oracle: scikit-learn 1.2.1 log_loss with eps='auto' (2^-52 for float64) and eps=1e-15. Tolerance 1e-9 relative.
const RTOL = 1e-9;
const binary = loadFixture('metrics-binary');
const multiclass = loadFixture('metrics-multiclass');

describe('logLoss against scikit-learn (binary)', () => {
  for (const c of binary.cases.filter((x: { logLossAuto?: number }) => x.logLossAuto !== undefined)) {
    it(c.name, () => {
      const opts = { positiveLabel: c.positiveLabel };
      expectClose(logLoss(c.yTrue, c.scores, opts), c.logLossAuto, RTOL, 0, 'eps auto');
      expectClose(logLoss(c.yTrue, c.scores, { ...opts, eps: 1e-15 }), c.logLoss1e15, RTOL, 0, 'eps 1e-15');
    });
  }
});

describe('logLossMulticlass against scikit-learn', () => {
  for (const c of multiclass.ovr) {
    it(c.name, () => {
      const labels = c.labels ?? undefined;
      expectClose(logLossMulticlass(c.yTrue, c.probabilities, { labels }), c.logLossAuto, RTOL);
      expectClose(logLossMulticlass(c.yTrue, c.probabilities, { labels, eps: 1e-15 }), c.logLoss1e15, RTOL);
    });
  }
});

describe('logLoss edge cases', () => {
  it('is finite for confidently wrong predictions (clipped at eps)', () => {
    expectClose(logLoss([1], [0], { eps: 1e-15 }), -Math.log(1e-15), 1e-12);
  });

  it('rejects probabilities outside [0, 1] and invalid eps', () => {
    expect(() => logLoss([0, 1], [0.2, 1.5])).toThrow(/probabilities\[1\]: 1.5/);
    expect(() => logLoss([0, 1], [0.2, 0.5], { eps: 0 })).toThrow(/eps/);
    expect(() => logLossMulticlass([0, 1], [[1], [1]])).toThrow(/columns/);
  });

  it('is NaN for empty input', () => {
    expect(logLoss([], [])).toBeNaN();
  });
});

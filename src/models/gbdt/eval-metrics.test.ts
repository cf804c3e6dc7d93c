import { describe, expect, it } from 'vitest';
import { logLoss } from '../../metrics/log-loss.js';
import { createRng } from '../../stats/random.js';
import { logLossFromMargins } from './eval-metrics.js';

// Cross-checked with src/metrics (itself checked against scikit-learn 1.2.1 fixtures), 1e-12 relative.
describe('trainer log loss agrees with src/metrics', () => {
  const rng = createRng(5);
  const n = 2000;
  // Margins rounded to 0.1 so that many scores tie.
  const margins = Float64Array.from({ length: n }, () => Math.round(rng.normal() * 20) / 10);
  const labels = Float64Array.from(margins, (m) => (rng.next() < 1 / (1 + Math.exp(-m)) ? 1 : 0));

  it('log loss from margins equals log loss of σ(margin)', () => {
    const p = Float64Array.from(margins, (m) => 1 / (1 + Math.exp(-m)));
    expect(logLossFromMargins(margins, labels)).toBeCloseTo(logLoss(labels, p), 12);
  });
});

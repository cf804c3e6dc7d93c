import { describe, expect, it } from 'vitest';
import { close, loadFixture } from '../../test/stats/load-fixture.js';
import { wilsonInterval } from './wilson.js';

// Oracle: statsmodels' proportion_confint(method='wilson') formula evaluated with scipy.stats.norm.isf
// (scripts/fixtures-metrics.py). Tolerance 1e-9 relative, 1e-15 absolute (the lower bound at k = 0 is 0).
const { wilson } = loadFixture('metrics-intervals');

describe('wilsonInterval against the statsmodels formula', () => {
  for (const w of wilson) {
    it(`${w.successes}/${w.n} at ${w.confidence}`, () => {
      const ci = wilsonInterval(w.successes, w.n, { confidence: w.confidence });
      if ('status' in ci) throw new Error('unexpected insufficient data');
      expect(close(ci.low, w.low, 1e-9, 1e-15), `low ${ci.low} vs ${w.low}`).toBe(true);
      expect(close(ci.high, w.high, 1e-9, 1e-15), `high ${ci.high} vs ${w.high}`).toBe(true);
    });
  }
});

describe('wilsonInterval edge cases', () => {
  it('returns insufficient data for n = 0', () => {
    expect(wilsonInterval(0, 0)).toEqual({ status: 'insufficient_data', n: 0 });
  });

  it('stays within [0, 1] and contains the estimate', () => {
    for (const [k, n] of [
      [0, 5],
      [5, 5],
      [2, 7],
    ]) {
      const ci = wilsonInterval(k, n);
      if ('status' in ci) throw new Error('unexpected insufficient data');
      expect(ci.low).toBeGreaterThanOrEqual(0);
      expect(ci.high).toBeLessThanOrEqual(1);
      expect(ci.low).toBeLessThanOrEqual(k / n);
      expect(ci.high).toBeGreaterThanOrEqual(k / n);
    }
  });

  it('rejects invalid arguments', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(/successes: 3/);
    expect(() => wilsonInterval(1, 2.5)).toThrow(/n: 2.5/);
    expect(() => wilsonInterval(1, 2, { confidence: 1 })).toThrow(/confidence: 1/);
  });
});

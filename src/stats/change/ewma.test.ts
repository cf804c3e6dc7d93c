import { describe, expect, it } from 'vitest';
import { changeFixtures, expectClose, montgomeryExample } from '../../../test/change/oracle.js';
import { EwmaChart, runEwma } from './ewma.js';

// Oracle: test/fixtures/change-detectors.json from scripts/fixtures-sketches.py (z_t by
// scipy.signal.lfilter, limits by the closed form). Tolerance 1e-9 relative.
const fx = changeFixtures;

describe('EwmaChart', () => {
  it('matches the SciPy oracle with known μ₀ and σ', () => {
    const steps = runEwma(fx.series, fx.ewma.known.options);
    steps.forEach((s, i) => {
      expect(s.t).toBe(i + 1);
      expectClose(s.statistic, fx.ewma.known.statistic[i]);
      expectClose(s.upper, fx.ewma.known.upper[i]);
      expectClose(s.lower, fx.ewma.known.lower[i]);
      expect(s.alarm).toBe(fx.ewma.known.alarm[i]);
    });
  });

  it('matches the oracle when μ₀ and σ come from a 30-point warm-up', () => {
    const steps = runEwma(fx.series, fx.ewma.warmup.options);
    expect(steps.slice(0, 30).every((s) => !s.ready && !s.alarm && s.t === 0)).toBe(true);
    steps.slice(30).forEach((s, i) => {
      expectClose(s.statistic, fx.ewma.warmup.statistic[i]);
      expectClose(s.upper, fx.ewma.warmup.upper[i]);
      expect(s.alarm).toBe(fx.ewma.warmup.alarm[i]);
    });
  });

  it('reproduces the textbook values by hand (λ = 0.1, L = 2.7)', () => {
    const steps = runEwma(montgomeryExample, { mean: 10, sd: 1, lambda: 0.1, L: 2.7 });
    // z_1 = 0.1·9.45 + 0.9·10 = 9.945; UCL_1 = 10 + 2.7·sqrt(0.1/1.9·(1 − 0.9²)) = 10.27.
    expectClose(steps[0].statistic, 9.945);
    expectClose(steps[0].upper, 10 + 2.7 * Math.sqrt((0.1 / 1.9) * (1 - 0.81)));
    expectClose(steps[1].statistic, 0.1 * 7.99 + 0.9 * 9.945);
    // Limits widen towards the asymptote 10 ± 2.7·sqrt(0.1/1.9).
    expect(steps[29].upper).toBeLessThan(10 + 2.7 * Math.sqrt(0.1 / 1.9));
    expect(steps[29].upper).toBeGreaterThan(steps[0].upper);
  });

  it('λ = 1 is a Shewhart chart with ±Lσ limits', () => {
    const steps = runEwma([0.5, 3.5, -3.1], { mean: 0, sd: 1, lambda: 1 });
    expect(steps.map((s) => s.statistic)).toEqual([0.5, 3.5, -3.1]);
    expect(steps.map((s) => s.side)).toEqual([null, 'up', 'down']);
    expect(steps[0].upper).toBe(3);
  });

  it('reset restarts from μ₀ and state survives a JSON round trip', () => {
    const a = new EwmaChart({ warmup: 5 });
    const xs = [1, 2, 3, 2, 1, 5, 6, 7, 2, 1];
    xs.slice(0, 7).forEach((x) => {
      a.update(x);
    });
    const b = EwmaChart.fromJSON(JSON.parse(JSON.stringify(a)));
    for (const x of xs.slice(7)) expect(b.update(x)).toEqual(a.update(x));
    a.reset();
    expect(a.update(1).ready).toBe(false);
    const known = new EwmaChart({ mean: 0, sd: 1 });
    known.update(3);
    known.reset();
    expect(known.update(1).statistic).toBeCloseTo(0.2, 15);
  });

  it('rejects invalid arguments', () => {
    expect(() => new EwmaChart({ lambda: 0 })).toThrow(/invalid lambda: 0/);
    expect(() => new EwmaChart({ L: -1 })).toThrow(RangeError);
    expect(() => new EwmaChart({ sd: 0, mean: 0 })).toThrow(/invalid sd: 0/);
    expect(() => new EwmaChart({ warmup: 1 })).toThrow(RangeError);
    expect(() => new EwmaChart().update(Number.NaN)).toThrow(/invalid x: NaN/);
    expect(() => EwmaChart.fromJSON({} as never)).toThrow(TypeError);
  });
});

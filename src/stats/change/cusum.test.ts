import { describe, expect, it } from 'vitest';
import { changeFixtures, expectClose, montgomeryExample } from '../../../test/change/oracle.js';
import { Cusum, runCusum } from './cusum.js';

// Oracle: test/fixtures/change-detectors.json (scripts/fixtures-sketches.py), tolerance 1e-9
// relative; and Montgomery's Example 9.1, whose published table has C⁺_29 = 5.28, N⁺ = 7.
const fx = changeFixtures;

describe('Cusum', () => {
  for (const key of ['known', 'series2'] as const) {
    it(`matches the oracle recursion (${key}), including the restart after an alarm`, () => {
      const ref = fx.cusum[key];
      const series = key === 'known' ? fx.series : fx.series2;
      const steps = runCusum(series, ref.options);
      steps.forEach((s, i) => {
        expectClose(s.upper, ref.upper[i]);
        expectClose(s.lower, ref.lower[i]);
        expect(s.alarm).toBe(ref.alarm[i]);
      });
      expect(ref.alarm.filter(Boolean).length).toBeGreaterThan(0);
    });
  }

  it("reproduces Montgomery's Example 9.1 (μ₀ = 10, σ = 1, k = 0.5, h = 5)", () => {
    const steps = runCusum(montgomeryExample, { mean: 10, sd: 1 });
    expect(steps[3].upper).toBeCloseTo(1.16, 10);
    expect(steps[4].upper).toBeCloseTo(2.82, 10);
    expect(steps[1].lower).toBeCloseTo(1.56, 10);
    expect(steps.slice(0, 28).some((s) => s.alarm)).toBe(false);
    expect(steps[28].upper).toBeCloseTo(5.28, 10);
    expect(steps[28]).toMatchObject({ t: 29, alarm: true, side: 'up', changeAt: 23 });
  });

  it('detects downward shifts on the lower side', () => {
    const steps = runCusum([0, 0, -2, -2, -2], { mean: 0, sd: 1, k: 0.5, h: 4 });
    expect(steps.map((s) => s.lower)).toEqual([0, 0, 1.5, 3, 4.5]);
    expect(steps[4]).toMatchObject({ alarm: true, side: 'down', changeAt: 3 });
  });

  it('restartOnAlarm: false keeps accumulating', () => {
    const steps = runCusum([3, 3, 3, 3], { mean: 0, sd: 1, h: 4, restartOnAlarm: false });
    expect(steps.map((s) => s.upper)).toEqual([2.5, 5, 7.5, 10]);
    const restarted = runCusum([3, 3, 3, 3], { mean: 0, sd: 1, h: 4 });
    expect(restarted.map((s) => s.upper)).toEqual([2.5, 5, 2.5, 5]);
  });

  it('reset and JSON round trip', () => {
    const a = new Cusum({ warmup: 4 });
    const xs = [1, 2, 1, 2, 3, 4, 5, 6];
    xs.slice(0, 5).forEach((x) => {
      a.update(x);
    });
    const b = Cusum.fromJSON(JSON.parse(JSON.stringify(a)));
    for (const x of xs.slice(5)) expect(b.update(x)).toEqual(a.update(x));
    a.reset();
    expect(a.update(1)).toMatchObject({ ready: false, t: 0 });
  });

  it('rejects invalid arguments', () => {
    expect(() => new Cusum({ k: -1 })).toThrow(/invalid k: -1/);
    expect(() => new Cusum({ h: 0 })).toThrow(RangeError);
    expect(() => new Cusum().update(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { changeFixtures, expectClose } from '../../../test/change/oracle.js';
import { PageHinkley, runPageHinkley } from './page-hinkley.js';

// Oracles: river's own docstring example (random.Random(12345) stream, "Change detected at index
// 1006"), and river's algorithm transcribed in scripts/fixtures-sketches.py. Tolerance 1e-9 relative.
const fx = changeFixtures;

describe('PageHinkley (river conventions)', () => {
  it("reproduces river's docstring example: first change at index 1006", () => {
    const steps = runPageHinkley(fx.pageHinkley.river.stream);
    expect(steps.findIndex((s) => s.alarm)).toBe(1006);
    expect(steps[1006].side).toBe('up');
  });

  for (const key of ['series', 'up'] as const) {
    it(`matches the transcribed river algorithm step by step (${key})`, () => {
      const ref = fx.pageHinkley[key];
      const steps = runPageHinkley(fx.series, ref.options);
      steps.forEach((s, i) => {
        expectClose(s.increase, ref.increase[i]);
        expectClose(s.decrease, ref.decrease[i]);
        expect(s.alarm).toBe(ref.alarm[i]);
      });
      expect(ref.alarm.filter(Boolean).length).toBeGreaterThan(0);
    });
  }

  it('hand-computed first steps (δ = 0, α = 1): sums of deviations from the running mean', () => {
    const d = new PageHinkley({ delta: 0, alpha: 1, threshold: 1, minInstances: 1 });
    // x = 1: mean 1, dev 0 → S⁺ = 0, m⁺ = 0, S⁻ = 0, M⁻ = max(−1, 0) = 0.
    expect(d.update(1)).toMatchObject({ t: 1, mean: 1, increase: 0, decrease: 0, alarm: false });
    // x = 3: mean 2, dev 1 → S⁺ = 1, increase 1 (not > 1); S⁻ = 1, M⁻ = 1, decrease 0.
    expect(d.update(3)).toMatchObject({ mean: 2, increase: 1, decrease: 0, alarm: false });
    // x = 5: mean 3, dev 2 → S⁺ = 3, increase 3 > 1 → alarm up.
    expect(d.update(5)).toMatchObject({ increase: 3, alarm: true, side: 'up' });
    // Next update resets everything first (river): t back to 1.
    expect(d.update(10)).toMatchObject({ t: 1, mean: 10, alarm: false });
  });

  it('mode down ignores increases; minInstances delays alarms', () => {
    const up = [0, 0, 0, 10, 10, 10];
    expect(runPageHinkley(up, { mode: 'down', threshold: 1, delta: 0 }).some((s) => s.alarm)).toBe(false);
    expect(
      runPageHinkley(up, { mode: 'up', threshold: 1, delta: 0, minInstances: 5 }).findIndex((s) => s.alarm),
    ).toBe(4);
  });

  it('JSON round trip (including the +∞ initial minimum)', () => {
    const fresh = PageHinkley.fromJSON(JSON.parse(JSON.stringify(new PageHinkley())));
    expect(fresh.update(1)).toEqual(new PageHinkley().update(1));
    const a = new PageHinkley({ threshold: 3 });
    fx.series.slice(0, 40).forEach((x: number) => {
      a.update(x);
    });
    const b = PageHinkley.fromJSON(JSON.parse(JSON.stringify(a)));
    for (const x of fx.series.slice(40, 80)) expect(b.update(x)).toEqual(a.update(x));
  });

  it('rejects invalid arguments', () => {
    expect(() => new PageHinkley({ mode: 'sideways' as 'up' })).toThrow(/invalid mode/);
    expect(() => new PageHinkley({ alpha: 0 })).toThrow(RangeError);
    expect(() => new PageHinkley({ threshold: 0 })).toThrow(RangeError);
    expect(() => new PageHinkley({ minInstances: 0 })).toThrow(RangeError);
    expect(() => new PageHinkley().update(Number.NaN)).toThrow(RangeError);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeFixtures, expectClose } from '../../../test/change/oracle.js';
import { createRng } from '../random.js';
import { detectChangePoint, detectChangePoints, estimateNoiseSd } from './change-point.js';

// Oracle: brute-force argmax of the least-squares gain and numpy.median-based MAD noise estimate
// (scripts/fixtures-sketches.py). Tolerance 1e-9 relative.
const fx = changeFixtures;

function gaussian(seed: number, parts: [length: number, mean: number][], sd = 1): number[] {
  const rng = createRng(seed);
  return parts.flatMap(([length, mean]) => Array.from({ length }, () => mean + sd * rng.normal()));
}

describe('detectChangePoint', () => {
  for (const key of ['series', 'series2'] as const) {
    it(`matches the NumPy brute force (${key})`, () => {
      const ref = fx.changePoint[key];
      const r = detectChangePoint(fx[key]);
      if (r.status !== 'ok') throw new Error('expected ok');
      expect(r.index).toBe(ref.index);
      expectClose(r.sd, ref.sd);
      expectClose(r.statistic, ref.statistic);
      expectClose(r.meanBefore, ref.meanBefore);
      expectClose(r.meanAfter, ref.meanAfter);
      expectClose(r.penalty, ref.penalty);
      expect(r.changed).toBe(true);
      const known = detectChangePoint(fx[key], { sd: 1.5 });
      if (known.status !== 'ok') throw new Error('expected ok');
      expectClose(known.statistic, ref.statisticKnownSd);
      expect(known.sd).toBe(1.5);
      expectClose(estimateNoiseSd(fx[key]), ref.noiseSd);
    });
  }

  it('dates a noiseless step exactly and reports an infinite statistic', () => {
    const r = detectChangePoint([2, 2, 2, 2, 2, 2, 7, 7, 7, 7, 7, 7]);
    expect(r).toMatchObject({ status: 'ok', index: 6, meanBefore: 2, meanAfter: 7, changed: true });
  });

  it('a constant series has no change', () => {
    expect(detectChangePoint(new Array(20).fill(3))).toMatchObject({
      status: 'ok',
      changed: false,
      statistic: 0,
    });
  });

  it('too short a series is insufficient data, not an error', () => {
    expect(detectChangePoint([1, 2, 3])).toEqual({ status: 'insufficient_data', n: 3 });
    expect(detectChangePoints([])).toEqual({ status: 'insufficient_data', n: 0 });
  });

  it('false-positive rate on stationary Gaussian series: ≤ 3.5 % at n = 50, ≤ 1 % at n = 200 (400 seeds)', () => {
    // Default penalty 3·ln n. Expected (simulation, 2 000 runs): ≈ 1.3 % at n = 50, ≈ 0.25 % at n = 200;
    // the bounds leave ≈ 3 binomial standard errors.
    for (const [n, bound] of [
      [50, 0.035],
      [200, 0.01],
    ]) {
      let positives = 0;
      for (let seed = 0; seed < 400; seed++) {
        const r = detectChangePoint(gaussian(seed, [[n, 0]]));
        if (r.status === 'ok' && r.changed) positives++;
      }
      expect(positives / 400).toBeLessThanOrEqual(bound);
    }
  });

  it('table: a shift of 1σ or 2σ is found and dated within a few observations', () => {
    const table = [
      { shift: 1, n: 200, at: 120, maxError: 10 },
      { shift: 2, n: 100, at: 30, maxError: 3 },
      { shift: -2, n: 100, at: 70, maxError: 3 },
    ];
    for (const { shift, n, at, maxError } of table) {
      let found = 0;
      const errors: number[] = [];
      for (let seed = 0; seed < 50; seed++) {
        const r = detectChangePoint(
          gaussian(seed + 1000, [
            [at, 0],
            [n - at, shift],
          ]),
        );
        if (r.status === 'ok' && r.changed) {
          found++;
          errors.push(Math.abs(r.index - at));
        }
      }
      errors.sort((a, b) => a - b);
      expect(found).toBeGreaterThanOrEqual(48);
      expect(errors[Math.floor(errors.length * 0.9)]).toBeLessThanOrEqual(maxError);
    }
  });

  it('estimateNoiseSd is robust to a level shift', () => {
    const xs = gaussian(
      5,
      [
        [500, 0],
        [500, 10],
      ],
      2,
    );
    expect(estimateNoiseSd(xs)).toBeGreaterThan(1.8);
    expect(estimateNoiseSd(xs)).toBeLessThan(2.2);
  });

  it('rejects invalid arguments', () => {
    expect(() => detectChangePoint([1, Number.NaN, 2])).toThrow(/invalid series\[1\]: NaN/);
    expect(() => detectChangePoint([1, 2], { minSegment: 0 })).toThrow(RangeError);
    expect(() => detectChangePoint([1, 2], { sd: -1 })).toThrow(RangeError);
    expect(() => detectChangePoint([1, 2], { penalty: Number.NaN })).toThrow(RangeError);
  });
});

describe('detectChangePoints (binary segmentation)', () => {
  it('finds two changes and the three segment means', () => {
    const xs = gaussian(11, [
      [80, 0],
      [60, 3],
      [80, 1],
    ]);
    const r = detectChangePoints(xs);
    if (r.status !== 'ok') throw new Error('expected ok');
    expect(r.changes.map((c) => c.index)).toHaveLength(2);
    expect(Math.abs(r.changes[0].index - 80)).toBeLessThanOrEqual(3);
    expect(Math.abs(r.changes[1].index - 140)).toBeLessThanOrEqual(3);
    expect(r.segments.map((s) => Math.round(s.mean) + 0)).toEqual([0, 3, 1]);
    expect(r.segments[0].start).toBe(0);
    expect(r.segments[2].end).toBe(220);
  });

  it('maxChanges keeps the strongest changes', () => {
    const xs = [...new Array(20).fill(0), ...new Array(20).fill(10), ...new Array(20).fill(11)];
    const r = detectChangePoints(xs, { maxChanges: 1, sd: 1 });
    if (r.status !== 'ok') throw new Error('expected ok');
    expect(r.changes.map((c) => c.index)).toEqual([20]);
  });

  it('property: segments tile the series and agree with the single-change helper', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 10, maxLength: 120 }),
        (xs) => {
          const r = detectChangePoints(xs);
          if (r.status !== 'ok') throw new Error('expected ok');
          let at = 0;
          for (const s of r.segments) {
            expect(s.start).toBe(at);
            expect(s.end - s.start).toBeGreaterThanOrEqual(5);
            at = s.end;
          }
          expect(at).toBe(xs.length);
          const single = detectChangePoint(xs);
          if (single.status === 'ok' && single.changed && r.changes.length > 0) {
            expect(r.changes.map((c) => c.index)).toContain(single.index);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { KllSketch, kllRankErrorBound } from './kll.js';

// Oracle: exact ranks from sorting the full input. Tolerance: 1 % normalized rank error
// (the default k = 400 has a documented 99 %-confidence bound of 0.68 % single / 0.86 % PMF).
const N = 1_000_000;
const TOL = 0.01;

function countLe(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function countLt(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Max |estimated − exact| normalized rank over every 100th order statistic, and max quantile rank error. */
function measureErrors(sketch: KllSketch, sorted: Float64Array): { rank: number; quantile: number } {
  const n = sorted.length;
  let rankErr = 0;
  for (let i = 0; i < n; i += 100) {
    const x = sorted[i];
    rankErr = Math.max(rankErr, Math.abs(sketch.rank(x) - countLe(sorted, x) / n));
    rankErr = Math.max(rankErr, Math.abs(sketch.rank(x, { inclusive: false }) - countLt(sorted, x) / n));
  }
  let quantileErr = 0;
  for (let j = 1; j < 1000; j++) {
    const p = j / 1000;
    const q = sketch.quantile(p);
    const lo = countLt(sorted, q) / n;
    const hi = countLe(sorted, q) / n;
    quantileErr = Math.max(quantileErr, p < lo ? lo - p : p > hi ? p - hi : 0);
  }
  return { rank: rankErr, quantile: quantileErr };
}

function expectAccurate(sketch: KllSketch, sorted: Float64Array): void {
  expect(sketch.n).toBe(sorted.length);
  expect(sketch.min).toBe(sorted[0]);
  expect(sketch.max).toBe(sorted[sorted.length - 1]);
  const errors = measureErrors(sketch, sorted);
  expect(errors.rank).toBeLessThanOrEqual(TOL);
  expect(errors.quantile).toBeLessThanOrEqual(TOL);
}

type Generator = (n: number) => Float64Array;

const rng = createRng(20261126);
function fill(n: number, f: (i: number) => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return out;
}

const generators: Record<string, Generator> = {
  uniform: (n) => fill(n, () => rng.next()),
  normal: (n) => fill(n, () => rng.normal() * 3 + 10),
  'heavy-tailed (Cauchy)': (n) => fill(n, () => Math.tan(Math.PI * (rng.next() - 0.5))),
  sorted: (n) => fill(n, (i) => i * 0.5),
  'reverse-sorted': (n) => fill(n, (i) => n - i),
  'many duplicates': (n) => fill(n, () => rng.int(20)),
};

describe('KllSketch accuracy on 1e6 values (vs exact ranks by sorting)', () => {
  for (const [name, generate] of Object.entries(generators)) {
    it(`${name}: single sketch and merge of 10 disjoint partials stay within 1 %`, () => {
      const data = generate(N);
      const sorted = data.slice().sort();

      const whole = new KllSketch({ seed: 1 });
      whole.updateMany(data);
      expectAccurate(whole, sorted);
      expect(whole.retained).toBeLessThan(2000);

      const merged = new KllSketch({ seed: 2 });
      for (let part = 0; part < 10; part++) {
        const partial = new KllSketch({ seed: 100 + part });
        partial.updateMany(data.subarray((part * N) / 10, ((part + 1) * N) / 10));
        merged.merge(partial);
      }
      expectAccurate(merged, sorted);
    });
  }
});

describe('KllSketch behaviour', () => {
  it('the error measurement is not vacuous: k = 16 misses the 1 % target', () => {
    const data = generators.uniform(100_000);
    const tiny = new KllSketch({ k: 16, seed: 1 });
    tiny.updateMany(data);
    expect(measureErrors(tiny, data.slice().sort()).rank).toBeGreaterThan(TOL);
  });

  it('documents the bound that motivates k = 400', () => {
    expect(kllRankErrorBound(200)).toBeCloseTo(0.0133, 4);
    expect(kllRankErrorBound(200, { pmf: true })).toBeCloseTo(0.0165, 4);
    expect(kllRankErrorBound(400, { pmf: true })).toBeLessThan(0.01);
    expect(new KllSketch().k).toBe(400);
  });

  it('is exact while nothing has been compacted', () => {
    const s = new KllSketch({ k: 200 });
    const values = [5, 1, 4, 1, 3, 9, 2, 6];
    s.updateMany(values);
    expect(s.rank(1)).toBe(2 / 8);
    expect(s.rank(1, { inclusive: false })).toBe(0);
    expect(s.rank(0)).toBe(0);
    expect(s.rank(100)).toBe(1);
    expect(s.quantile(0.5)).toBe(3);
    const ten = new KllSketch();
    ten.updateMany([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // 0.3·10 = 3.0000000000000004 in float64: still the 3rd value.
    expect(ten.quantiles([0.1, 0.3, 0.7, 0.71])).toEqual(Float64Array.from([1, 3, 7, 8]));
    expect(s.quantile(0)).toBe(1);
    expect(s.quantile(1)).toBe(9);
    expect(Array.from(s.cdf([1, 4]))).toEqual([2 / 8, 5 / 8, 1]);
    expect(Array.from(s.pmf([1, 4]))).toEqual([2 / 8, 3 / 8, 3 / 8]);
  });

  it('handles empty, one value, constant input and NaN', () => {
    const empty = new KllSketch();
    expect(empty.isEmpty).toBe(true);
    expect(empty.quantile(0.5)).toBeNaN();
    expect(empty.rank(1)).toBeNaN();
    expect(empty.min).toBeNaN();
    const one = new KllSketch();
    one.updateMany([Number.NaN, 7, Number.NaN]);
    expect(one.n).toBe(1);
    expect(one.nanCount).toBe(2);
    expect(one.quantile(0.3)).toBe(7);
    const constant = new KllSketch({ k: 16 });
    constant.updateMany(new Float64Array(10_000).fill(3));
    expect(constant.quantile(0.5)).toBe(3);
    expect(constant.rank(3)).toBe(1);
    expect(constant.rank(3, { inclusive: false })).toBe(0);
  });

  it('rejects invalid arguments', () => {
    expect(() => new KllSketch({ k: 3 })).toThrow(RangeError);
    expect(() => new KllSketch({ m: 3 })).toThrow(RangeError);
    expect(() => new KllSketch().quantile(1.5)).toThrow(/invalid p: 1.5/);
    expect(() => new KllSketch().cdf([2, 1])).toThrow(RangeError);
    expect(() => new KllSketch({ k: 200 }).merge(new KllSketch({ k: 400 }))).toThrow(RangeError);
    const partial = new KllSketch();
    expect(() => partial.updateMany([1, Number.NaN, 2, 'x' as unknown as number, 3])).toThrow(TypeError);
    expect([partial.n, partial.nanCount, partial.max]).toEqual([2, 1, 2]);
  });

  it('is reproducible from its seed and survives a JSON round trip bit for bit', () => {
    const data = generators.normal(50_000);
    const a = new KllSketch({ k: 64, seed: 9 });
    const b = new KllSketch({ k: 64, seed: 9 });
    a.updateMany(data.subarray(0, 30_000));
    b.updateMany(data.subarray(0, 30_000));
    const restored = KllSketch.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    a.updateMany(data.subarray(30_000));
    restored.updateMany(data.subarray(30_000));
    b.updateMany(data.subarray(30_000));
    expect(restored.toJSON()).toEqual(a.toJSON());
    expect(b.toJSON()).toEqual(a.toJSON());
    const other = new KllSketch({ k: 64, seed: 10 });
    other.updateMany(data);
    expect(other.toJSON().values).not.toEqual(a.toJSON().values);
  });

  it('keeps infinities through serialisation', () => {
    const s = new KllSketch();
    s.updateMany([Number.NEGATIVE_INFINITY, 0, Number.POSITIVE_INFINITY]);
    const r = KllSketch.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(r.min).toBe(Number.NEGATIVE_INFINITY);
    expect(r.max).toBe(Number.POSITIVE_INFINITY);
    expect(r.quantile(0.5)).toBe(0);
  });

  it('rejects corrupted JSON', () => {
    const s = new KllSketch();
    s.updateMany([1, 2, 3]);
    const json = s.toJSON();
    expect(() => KllSketch.fromJSON({ ...json, n: 4 })).toThrow(TypeError);
    expect(() => KllSketch.fromJSON({ ...json, levelSizes: [2] })).toThrow(TypeError);
  });

  it('property: merge preserves n, min, max and total weight; ranks are monotone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { maxLength: 400 }),
        fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { maxLength: 400 }),
        (xs, ys) => {
          const a = new KllSketch({ k: 8 });
          const b = new KllSketch({ k: 8, seed: 3 });
          a.updateMany(xs);
          b.updateMany(ys);
          a.merge(b);
          const all = [...xs, ...ys];
          expect(a.n).toBe(all.length);
          if (all.length === 0) return;
          expect(a.min).toBe(Math.min(...all));
          expect(a.max).toBe(Math.max(...all));
          expect(a.rank(a.max)).toBe(1);
          const json = a.toJSON();
          expect(json.levelSizes.reduce((acc, s, h) => acc + s * 2 ** h, 0)).toBe(all.length);
          const probes = all.slice().sort((p, q) => p - q);
          for (let i = 1; i < probes.length; i++) {
            expect(a.rank(probes[i])).toBeGreaterThanOrEqual(a.rank(probes[i - 1]));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

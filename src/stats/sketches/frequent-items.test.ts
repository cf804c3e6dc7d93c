import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { FrequentItems } from './frequent-items.js';

// Oracle: exact counts from a Map. The guarantees are exact inequalities (no tolerance):
// lower ≤ f ≤ upper, maxError ≤ N/(k + 1), and every item with f > N/(k + 1) is reported.

function exactCounts<T>(items: T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

function checkGuarantees<T extends string | number>(
  s: FrequentItems<T>,
  truth: Map<T, number>,
  n: number,
): void {
  expect(s.n).toBe(n);
  expect(s.maxError).toBeLessThanOrEqual(n / (s.k + 1));
  const reported = new Set(s.topK().map((x) => x.item));
  for (const [item, f] of truth) {
    const b = s.bounds(item);
    expect(b.lower).toBeLessThanOrEqual(f);
    expect(b.upper).toBeGreaterThanOrEqual(f);
    if (f > n / (s.k + 1)) expect(reported.has(item)).toBe(true);
  }
}

/** Zipf(1.1)-like stream over `universe` items via inverse-CDF sampling. */
function zipfStream(n: number, universe: number, seed: number): string[] {
  const rng = createRng(seed);
  const weights = Float64Array.from({ length: universe }, (_, i) => 1 / (i + 1) ** 1.1);
  const cum = new Float64Array(universe);
  let acc = 0;
  for (let i = 0; i < universe; i++) cum[i] = acc += weights[i];
  return Array.from({ length: n }, () => {
    const u = rng.next() * acc;
    let lo = 0;
    let hi = universe - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid] >= u) hi = mid;
      else lo = mid + 1;
    }
    return `item-${lo}`;
  });
}

describe('FrequentItems guarantees', () => {
  it('Zipf stream of 100 000 items over 50 000 distinct: bounds hold, heavy hitters reported', () => {
    const stream = zipfStream(100_000, 50_000, 7);
    const truth = exactCounts(stream);
    const s = new FrequentItems<string>({ k: 50 });
    s.addMany(stream);
    checkGuarantees(s, truth, stream.length);
    expect(s.size).toBeLessThanOrEqual(50);
    // The most frequent item of a Zipf stream is item-0 and is reported first.
    expect(s.topK(1)[0].item).toBe('item-0');
  });

  it('merging 10 partial summaries of disjoint parts keeps the guarantees', () => {
    const stream = zipfStream(100_000, 20_000, 8);
    const truth = exactCounts(stream);
    const merged = new FrequentItems<string>({ k: 40 });
    for (let part = 0; part < 10; part++) {
      const partial = new FrequentItems<string>({ k: 40 });
      partial.addMany(stream.slice(part * 10_000, (part + 1) * 10_000));
      merged.merge(partial);
    }
    checkGuarantees(merged, truth, stream.length);
    expect(merged.size).toBeLessThanOrEqual(40);
  });

  it('is exact while there are at most k distinct items', () => {
    const s = new FrequentItems<number>({ k: 3 });
    s.addMany([1, 2, 1, 3, 1, 2]);
    expect(s.maxError).toBe(0);
    expect(s.topK()).toEqual([
      { item: 1, lower: 3, upper: 3 },
      { item: 2, lower: 2, upper: 2 },
      { item: 3, lower: 1, upper: 1 },
    ]);
  });

  it('hand-computed Misra–Gries step: a 3rd distinct item with k = 2 decrements everything', () => {
    const s = new FrequentItems<string>({ k: 2 });
    s.addMany(['a', 'a', 'b', 'c']);
    // a:2, b:1, then c decrements all by 1 → a:1, b and c dropped, offset 1.
    expect(s.topK()).toEqual([{ item: 'a', lower: 1, upper: 2 }]);
    expect(s.bounds('b')).toEqual({ item: 'b', lower: 0, upper: 1 });
    expect(s.frequentItems(1, 'no-false-positives')).toEqual([]);
    expect(s.frequentItems(1, 'no-false-negatives').map((x) => x.item)).toEqual(['a']);
  });

  it('weighted updates follow the same bound', () => {
    const s = new FrequentItems<string>({ k: 2 });
    s.add('a', 5);
    s.add('b', 2);
    s.add('c', 3); // d = min(3, 2) = 2 → a:3, b dropped, c:1 left → inserted
    expect(s.topK()).toEqual([
      { item: 'a', lower: 3, upper: 5 },
      { item: 'c', lower: 1, upper: 3 },
    ]);
    expect(s.n).toBe(10);
  });

  it('rejects invalid arguments and malformed JSON', () => {
    expect(() => new FrequentItems({ k: 0 })).toThrow(/invalid k: 0/);
    expect(() => new FrequentItems().add('x', -1)).toThrow(RangeError);
    expect(() => new FrequentItems().add(null as unknown as string)).toThrow(TypeError);
    expect(() => new FrequentItems({ k: 2 }).merge(new FrequentItems({ k: 3 }))).toThrow(RangeError);
    expect(() =>
      FrequentItems.fromJSON({
        type: 'frequent-items',
        version: 1,
        k: 1,
        n: 2,
        offset: 0,
        counters: [
          ['a', 1],
          ['b', 1],
        ],
      }),
    ).toThrow(TypeError);
  });

  it('property: bounds hold for any stream and any merge tree; JSON round-trips', () => {
    const stream = fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 300 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), stream, stream, stream, (k, xs, ys, zs) => {
        const mk = (items: number[]) => {
          const s = new FrequentItems<number>({ k });
          s.addMany(items);
          return s;
        };
        const all = [...xs, ...ys, ...zs];
        checkGuarantees(mk(all), exactCounts(all), all.length);
        const merged = mk(xs).merge(mk(ys).merge(mk(zs)));
        checkGuarantees(merged, exactCounts(all), all.length);
        const restored = FrequentItems.fromJSON(JSON.parse(JSON.stringify(merged)));
        expect(restored.topK()).toEqual(merged.topK());
        expect(restored.maxError).toBe(merged.maxError);
      }),
      { numRuns: 100 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HyperLogLog, hash64 } from './hyperloglog.js';

// Oracle: the exact number of distinct values, known by construction.
// Tolerance at 1e6: 2 % relative (p = 14: RSE 0.81 %, so 2 % ≈ 2.5 RSE).

describe('HyperLogLog accuracy', () => {
  const N = 1_000_000;
  const cases: Record<string, (i: number) => string | number> = {
    'consecutive integers': (i) => i,
    'decimal floats': (i) => i * 0.001 - 500,
    'user ids (strings)': (i) => `user-${i}`,
  };
  for (const [name, value] of Object.entries(cases)) {
    it(`${name}: 1e6 distinct values within 2 % after merging 10 partials`, () => {
      const merged = new HyperLogLog();
      for (let part = 0; part < 10; part++) {
        const partial = new HyperLogLog();
        for (let i = (part * N) / 10; i < ((part + 1) * N) / 10; i++) partial.add(value(i));
        merged.merge(partial);
      }
      expect(Math.abs(merged.estimate() / N - 1)).toBeLessThanOrEqual(0.02);
      expect(Math.abs(merged.estimate('classic') / N - 1)).toBeLessThanOrEqual(0.02);
    });
  }

  it('the merge of partials equals the sketch of the whole, register for register', () => {
    const whole = new HyperLogLog();
    const merged = new HyperLogLog();
    for (let part = 0; part < 10; part++) {
      const partial = new HyperLogLog();
      for (let i = part * 20_000; i < (part + 1) * 20_000; i++) {
        partial.add(`user-${i}`);
        whole.add(`user-${i}`);
      }
      merged.merge(partial);
    }
    expect(merged.registers()).toEqual(whole.registers());
    expect(merged.estimate()).toBe(whole.estimate());
    expect(Math.abs(whole.estimate() / 200_000 - 1)).toBeLessThanOrEqual(0.02);
  });

  it('overlapping partials: the merge counts the union once', () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    for (let i = 0; i < 60_000; i++) a.add(i);
    for (let i = 30_000; i < 90_000; i++) b.add(i);
    const est = a.merge(b).estimate();
    expect(Math.abs(est / 90_000 - 1)).toBeLessThanOrEqual(0.02);
  });

  it('is nearly exact at small cardinalities (linear-counting regime)', () => {
    // Expected hash collisions at n values are ≈ n²/(2m); linear counting corrects them on
    // average, leaving a standard deviation ≈ sqrt(n²/(2m)). We allow 4 of those plus 0.5.
    const h = new HyperLogLog();
    expect(h.estimate()).toBe(0);
    expect(h.estimate('classic')).toBe(0);
    for (let n = 1; n <= 3000; n++) {
      h.add(`item-${n}`);
      h.add(`item-${n}`); // duplicates do not count
      if (n > 300 && n % 37 !== 0) continue;
      const tol = 0.5 + 4 * Math.sqrt((n * n) / (2 * h.m));
      expect(Math.abs(h.estimate() - n)).toBeLessThanOrEqual(tol);
      expect(Math.abs(h.estimate('classic') - n)).toBeLessThanOrEqual(tol);
    }
  });

  it('tracks the theoretical RSE across the mid range (p = 10, 40 seeds-by-offset)', () => {
    // RSE 1.04/√1024 = 3.25 %; every run within 4 RSE = 13 %, and the mean error within 2 %.
    for (const n of [500, 3000, 20_000]) {
      let sum = 0;
      for (let t = 0; t < 40; t++) {
        const h = new HyperLogLog({ precision: 10 });
        for (let i = 0; i < n; i++) h.add(t * 1e7 + i);
        const rel = h.estimate() / n - 1;
        expect(Math.abs(rel)).toBeLessThanOrEqual(0.13);
        sum += rel;
      }
      expect(Math.abs(sum / 40)).toBeLessThanOrEqual(0.02);
    }
  });
});

describe('HyperLogLog behaviour', () => {
  it('withPrecision gives exactly the sketch built at the lower precision; merge folds higher ones', () => {
    const values = Array.from({ length: 30_000 }, (_, i) => (i % 3 === 0 ? `id-${i}` : i * 1.5));
    const high = new HyperLogLog({ precision: 14 });
    high.addMany(values);
    for (const p of [14, 12, 9, 4]) {
      const direct = new HyperLogLog({ precision: p });
      direct.addMany(values);
      expect(high.withPrecision(p).registers()).toEqual(direct.registers());
    }
    const low = new HyperLogLog({ precision: 10 });
    low.addMany(values.slice(0, 100));
    const expected = new HyperLogLog({ precision: 10 });
    expected.addMany(values);
    expect(low.merge(high).registers()).toEqual(expected.registers());
  });

  it('keeps the number 1 and the string "1" distinct, and 0 and −0 the same', () => {
    const h = new HyperLogLog();
    h.addMany([1, '1', 0, -0, 1.0]);
    expect(Math.round(h.estimate())).toBe(3);
    expect(hash64(0)).toEqual(hash64(-0));
    expect(hash64(1)).not.toEqual(hash64('1'));
  });

  it('hashes are stable across versions (golden values)', () => {
    // Changing the hash would silently break merging with stored sketches.
    expect(hash64('plumbline')).toEqual([1299266634, 1249243573]);
    expect(hash64(1)).toEqual([1078343371, 3245241366]);
    const stored = new HyperLogLog({ precision: 4 });
    stored.addMany(['a', 'b', 'c', 1, 2, 3]);
    expect(stored.toJSON().registers).toMatchInlineSnapshot(`"AAUAAAYAAgAAAAIAAwEAAA=="`);
  });

  it('rejects invalid arguments and malformed JSON', () => {
    expect(() => new HyperLogLog({ precision: 3 })).toThrow(/invalid precision: 3/);
    expect(() => new HyperLogLog().merge(new HyperLogLog({ precision: 12 }))).toThrow(RangeError);
    expect(() => new HyperLogLog({ precision: 10 }).withPrecision(11)).toThrow(RangeError);
    expect(() => new HyperLogLog().add({} as unknown as string)).toThrow(TypeError);
    expect(() => HyperLogLog.fromJSON({ type: 'hll', version: 1, precision: 4, registers: 'AAAA' })).toThrow(
      TypeError,
    );
    expect(() => new HyperLogLog().estimate('other' as 'classic')).toThrow(RangeError);
  });

  it('property: merge is commutative, associative and idempotent; JSON round-trips', () => {
    const values = fc.array(fc.oneof(fc.string(), fc.double()), { maxLength: 200 });
    fc.assert(
      fc.property(values, values, values, (xs, ys, zs) => {
        const mk = (vs: (string | number)[]) => {
          const h = new HyperLogLog({ precision: 8 });
          h.addMany(vs);
          return h;
        };
        const ab = mk(xs).merge(mk(ys));
        const ba = mk(ys).merge(mk(xs));
        expect(ab.registers()).toEqual(ba.registers());
        expect(mk(xs).merge(mk(ys)).merge(mk(zs)).registers()).toEqual(
          mk(xs)
            .merge(mk(ys).merge(mk(zs)))
            .registers(),
        );
        expect(mk([...xs, ...ys]).registers()).toEqual(ab.registers());
        const a = mk(xs);
        expect(a.merge(mk(xs)).registers()).toEqual(mk(xs).registers());
        expect(HyperLogLog.fromJSON(JSON.parse(JSON.stringify(ab))).registers()).toEqual(ab.registers());
      }),
      { numRuns: 100 },
    );
  });
});

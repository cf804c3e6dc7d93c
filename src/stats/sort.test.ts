import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from './random.js';
import { sortFloat64InPlace } from './sort.js';

function nativeSorted(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

// Compares bit patterns so that −0/+0 order and NaN placement are checked too.
function bits(a: Float64Array): string {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, 2 * a.length), (w) => w.toString(16)).join(',');
}

describe('sortFloat64InPlace', () => {
  it('matches the native typed-array sort on 10 000 mixed values (±0, ±Infinity, NaN, subnormals, ties)', () => {
    const rng = createRng(3);
    const specials = [
      -0,
      0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      5e-324,
      -5e-324,
      1e308,
    ];
    const a = Float64Array.from({ length: 10000 }, (_, i) =>
      i % 50 === 0
        ? specials[(i / 50) % specials.length]
        : i % 7 === 0
          ? Math.round(rng.normal())
          : rng.normal() * 1e3,
    );
    const expected = nativeSorted(a);
    const got = sortFloat64InPlace(a.slice());
    // NaN bit patterns may differ; compare NaN count and the finite part by bits
    const firstNaN = expected.findIndex(Number.isNaN);
    expect(got.findIndex(Number.isNaN)).toBe(firstNaN);
    expect(bits(got.subarray(0, firstNaN))).toBe(bits(expected.subarray(0, firstNaN)));
  });
  it('puts NaN with the sign bit set last too', () => {
    const a = new Float64Array(1000).map((_, i) => i - 500);
    new Uint32Array(a.buffer)[2 * 10 + 1] = 0xfff80000; // a negative quiet NaN
    new Uint32Array(a.buffer)[2 * 10] = 0;
    const got = sortFloat64InPlace(a);
    expect(Number.isNaN(got[999])).toBe(true);
    expect(got[0]).toBe(-500);
  });
  it('agrees with the native sort for arbitrary doubles (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: 500, maxLength: 3000 }), (xs) => {
        const got = sortFloat64InPlace(Float64Array.from(xs));
        const want = nativeSorted(xs);
        for (let i = 0; i < want.length; i++) {
          if (Number.isNaN(want[i])) {
            if (!Number.isNaN(got[i])) return false;
          } else if (!Object.is(got[i], want[i])) return false;
        }
        return true;
      }),
      { numRuns: 50 },
    );
  });
  it('orders values that share their high 32 bits (short and long runs) by their low bits', () => {
    const rng = createRng(5);
    const a = Float64Array.from({ length: 3000 }, (_, i) =>
      i < 2000 ? 1 + rng.int(1000) * 1e-13 : i < 2900 ? 3 + rng.int(5) * 1e-13 : rng.normal(),
    );
    expect(Array.from(sortFloat64InPlace(a.slice()))).toEqual(Array.from(nativeSorted(a)));
  });
  it('sorts subarray views without touching the rest of the buffer', () => {
    const buf = new Float64Array(2000).map((_, i) => 2000 - i);
    const view = buf.subarray(500, 1500);
    sortFloat64InPlace(view);
    expect(view[0]).toBe(501);
    expect(view[999]).toBe(1500);
    expect(buf[0]).toBe(2000);
    expect(buf[1999]).toBe(1);
  });
});

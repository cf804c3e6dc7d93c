/**
 * Sorting Float64Array fast: an LSD radix sort on the IEEE-754 bit patterns, O(n), faster than
 * the native comparison sort from a few hundred values on. The order is the native typed-array
 * order: −Infinity < … < −0 < +0 < … < +Infinity < NaN (all NaN last).
 *
 * Key transform (Herf, "Radix tricks", 2001): for a non-negative float set the sign bit, for a
 * negative one invert all bits; the result compares as an unsigned 64-bit integer in numeric
 * order. Only the high 32 bits (sign, exponent, 20 mantissa bits) are radix-sorted, in three
 * passes of 11/11/10 bits (a pass whose digit is constant is skipped); values that share their
 * high word (equal within ~1e-6 relative) are then ordered by a final insertion sort per run
 * (native sort for runs longer than 32).
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const RADIX_MIN = 256;
const BITS = 11;
const BUCKETS = 1 << BITS;
const MASK = BUCKETS - 1;
const SHIFTS = [0, 11, 22];
const SHORT_RUN = 32;

/** Sorts a Float64Array in place, ascending, NaN last; returns it. O(n) for typical data. */
export function sortFloat64InPlace(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < RADIX_MIN || !LITTLE_ENDIAN) return a.sort();
  let words: Uint32Array = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  const counts = new Uint32Array(3 * BUCKETS);
  for (let i = 0; i < n; i++) {
    let lo: number;
    let hi: number;
    if (Number.isNaN(a[i])) {
      lo = 0xffffffff;
      hi = 0xffffffff;
    } else {
      lo = words[2 * i];
      hi = words[2 * i + 1];
      if (hi & 0x80000000) {
        lo = ~lo >>> 0;
        hi = ~hi >>> 0;
      } else hi = (hi | 0x80000000) >>> 0;
    }
    words[2 * i] = lo;
    words[2 * i + 1] = hi;
    counts[hi & MASK]++;
    counts[BUCKETS + ((hi >>> 11) & MASK)]++;
    counts[2 * BUCKETS + (hi >>> 22)]++;
  }
  let other: Uint32Array = new Uint32Array(2 * n);
  const offsets = new Uint32Array(BUCKETS);
  for (let p = 0; p < 3; p++) {
    const base = p * BUCKETS;
    const shift = SHIFTS[p];
    let first = 0;
    while (counts[base + first] === 0) first++;
    if (counts[base + first] === n) continue; // constant digit
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) {
      offsets[b] = sum;
      sum += counts[base + b];
    }
    for (let i = 0; i < n; i++) {
      const hi = words[2 * i + 1];
      const k = 2 * offsets[(hi >>> shift) & MASK]++;
      other[k] = words[2 * i];
      other[k + 1] = hi;
    }
    [words, other] = [other, words];
  }
  const target = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i];
    const hi = words[2 * i + 1];
    if (hi & 0x80000000) {
      target[2 * i] = lo;
      target[2 * i + 1] = hi & 0x7fffffff;
    } else {
      target[2 * i] = ~lo >>> 0;
      target[2 * i + 1] = ~hi >>> 0;
    }
  }
  sortRunsOfEqualHighWord(a, target);
  return a;
}

/** Orders each run of values that share their high 32 bits (the radix passes ignored the low word). */
function sortRunsOfEqualHighWord(a: Float64Array, words: Uint32Array): void {
  const n = a.length;
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && words[2 * i + 1] === words[2 * start + 1]) continue;
    const len = i - start;
    if (len > SHORT_RUN) a.subarray(start, i).sort();
    else if (len > 1) {
      for (let j = start + 1; j < i; j++) {
        const v = a[j];
        let k = j - 1;
        while (k >= start && a[k] > v) {
          a[k + 1] = a[k];
          k--;
        }
        a[k + 1] = v;
      }
    }
    start = i;
  }
}

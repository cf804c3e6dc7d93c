/**
 * Seeded pseudo-random numbers, so that every resampling, bootstrap and
 * sketch in Plumbline is reproducible from its seed.
 *
 * Generator: xoshiro128** (Blackman & Vigna, 2018), 32-bit state words,
 * seeded through splitmix32. Period 2^128 − 1; passes BigCrush.
 * `next()` returns a double in [0, 1) with 32 random bits.
 */

/** A seeded source of uniform, integer and normal variates. */
export interface Rng {
  /** Uniform double in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n) (rejection-free multiply-shift; bias < 2^-32·n). */
  int(n: number): number;
  /** Standard normal variate (Box–Muller, the second value cached). */
  normal(): number;
  /** Raw uniform 32-bit unsigned integer. */
  uint32(): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Creates a seeded generator; the same seed always yields the same stream. */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`invalid seed: ${seed} (expected a finite number)`);
  const init = splitmix32(Math.floor(seed) ^ Math.floor(seed / 2 ** 32));
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  if ((a | b | c | d) === 0) a = 1;
  let spare: number | undefined;

  const uint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const next = (): number => uint32() / 4294967296;
  return {
    next,
    uint32,
    int: (n: number) => {
      if (!(n > 0) || !Number.isInteger(n))
        throw new RangeError(`invalid n: ${n} (expected a positive integer)`);
      return Math.floor(next() * n);
    },
    normal: () => {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * 32-bit hashing helpers shared by the sketches: MurmurHash3 x86_32 (Appleby,
 * 2011) over 32-bit words, and its 32-bit finaliser. Plain 32-bit integer
 * arithmetic (`Math.imul`), no BigInt, so they are fast and give the same bits
 * on every platform.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3's 32-bit finaliser (avalanche mix): a bijection on uint32. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mixBlock(h: number, block: number): number {
  let k = Math.imul(block, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3 x86_32 of two 32-bit words (e.g. the halves of a float64), as uint32. */
export function murmur3Pair(lo: number, hi: number, seed: number): number {
  let h = mixBlock(mixBlock(seed | 0, lo), hi);
  h ^= 8;
  return fmix32(h);
}

/**
 * MurmurHash3 x86_32 of a string's UTF-16 code units, two units per 32-bit block
 * (so the hash of a string is defined by its code units, not by an encoding), as uint32.
 */
export function murmur3String(s: string, seed: number): number {
  murmur3StringTwice(s, seed, seed, scratch);
  return scratch[0];
}

const scratch = new Uint32Array(2);

/**
 * `murmur3String(s, seedA)` and `murmur3String(s, seedB)` in one pass over the string,
 * written to out[0] and out[1] (for 64-bit hashes without reading the string twice).
 */
export function murmur3StringTwice(s: string, seedA: number, seedB: number, out: Uint32Array): void {
  let a = seedA | 0;
  let b = seedB | 0;
  const len = s.length;
  const even = len & ~1;
  for (let i = 0; i < even; i += 2) {
    const block = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    a = mixBlock(a, block);
    b = mixBlock(b, block);
  }
  if (len & 1) {
    let k = Math.imul(s.charCodeAt(len - 1), C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    a ^= k;
    b ^= k;
  }
  out[0] = fmix32(a ^ (len * 2));
  out[1] = fmix32(b ^ (len * 2));
}

/** A well-mixed uint32 from a seed and a counter (for reproducible coin flips). */
export function hashCounter(seed: number, counter: number): number {
  return murmur3Pair(counter >>> 0, Math.floor(counter / 4294967296) >>> 0, seed);
}

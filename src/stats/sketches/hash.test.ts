import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { murmur3Pair, murmur3String, murmur3StringTwice } from './hash.js';
import { hash64 } from './hyperloglog.js';

// Oracle: scripts/fixtures-sketches.py, a byte-level MurmurHash3 x86_32 checked there against the
// published test vectors. Exact (integer) equality. A change here would break merging stored sketches.
const fx = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/sketches-hash.json', import.meta.url), 'utf8'),
);
const decode = (v: unknown) =>
  v === 'Infinity'
    ? Number.POSITIVE_INFINITY
    : v === '-Infinity'
      ? Number.NEGATIVE_INFINITY
      : v === 'NaN'
        ? Number.NaN
        : v;

describe('sketch hashing', () => {
  it('murmur3String equals MurmurHash3 x86_32 of the UTF-16LE bytes', () => {
    const out = new Uint32Array(2);
    for (const { text, seed, hash } of fx.murmur3String) {
      expect(murmur3String(text, seed)).toBe(hash);
      murmur3StringTwice(text, seed, seed ^ 1, out);
      expect(out[0]).toBe(hash);
      expect(out[1]).toBe(murmur3String(text, seed ^ 1));
    }
  });

  it('murmur3Pair equals MurmurHash3 x86_32 of two little-endian words', () => {
    for (const { lo, hi, seed, hash } of fx.murmur3Pair) expect(murmur3Pair(lo, hi, seed)).toBe(hash);
  });

  it('hash64 of strings and numbers matches the oracle', () => {
    expect(fx.hash64.length).toBeGreaterThan(15);
    for (const { value, hash } of fx.hash64) expect(hash64(decode(value) as string | number)).toEqual(hash);
  });
});

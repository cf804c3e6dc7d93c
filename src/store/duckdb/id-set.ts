/**
 * A compact set of event ids for ingest dedupe: each id is kept as a 64-bit hash (two independent
 * 32-bit string hashes, FNV-1a and a MurmurHash2-style mix, each finished with MurmurHash3's fmix32)
 * in an open-addressing table with linear probing (8 bytes a slot, load at most 1/2, so ~16 bytes
 * an id whatever the id's length, and no limit on the count as a JS `Set` has at 2^24).
 * `mayHave` is exact for "absent"; a hit can be a hash collision (~n²/2^65 for n ids), so callers
 * confirm hits against the table, which stays the truth.
 */

let hashA = 0;
let hashB = 0;

function fmix32(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/** Sets `hashA`/`hashB` to the two 32-bit hashes of `id` (never both zero: zero marks an empty slot). */
function hashId(id: string): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    let k = Math.imul(c, 0x5bd1e995);
    k ^= k >>> 24;
    b = Math.imul(b, 0x5bd1e995) ^ Math.imul(k, 0x5bd1e995);
  }
  hashA = fmix32(a);
  hashB = fmix32(b);
  if (hashA === 0 && hashB === 0) hashB = 1;
}

/** Open-addressing set of 64-bit id hashes; `mayHave` never misses an added id. */
export class IdHashSet {
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  /** An empty set sized for about `expected` ids. */
  constructor(expected = 0) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap * 2);
    this.mask = cap - 1;
  }

  /** Number of distinct hashes held. */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  /** False when `id` was certainly never added; true when it was (or its hash collides). */
  mayHave(id: string): boolean {
    hashId(id);
    return this.find(hashA | 0, hashB | 0) >= 0;
  }

  /** Adds `id` (a no-op when its hash is already present). */
  add(id: string): void {
    hashId(id);
    this.insert(hashA | 0, hashB | 0);
  }

  private find(a: number, b: number): number {
    const s = this.slots;
    for (let i = a & this.mask; ; i = (i + 1) & this.mask) {
      const x = s[2 * i];
      const y = s[2 * i + 1];
      if (x === a && y === b) return i;
      if (x === 0 && y === 0) return -1 - i;
    }
  }

  private insert(a: number, b: number): void {
    const at = this.find(a, b);
    if (at >= 0) return;
    const i = -1 - at;
    this.slots[2 * i] = a;
    this.slots[2 * i + 1] = b;
    this.count++;
    if (this.count * 2 > this.mask + 1) this.grow();
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = old.length - 1;
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0 || old[i + 1] !== 0) this.insert(old[i], old[i + 1]);
    }
  }
}

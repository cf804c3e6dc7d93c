import { describe, expect, it } from 'vitest';
import { IdHashSet } from './id-set.js';

describe('IdHashSet', () => {
  it('never misses an added id, through many growths', () => {
    const s = new IdHashSet();
    const n = 200_000;
    for (let i = 0; i < n; i++) s.add(`evt-${i}`);
    expect(s.size).toBe(n);
    for (let i = 0; i < n; i++) if (!s.mayHave(`evt-${i}`)) throw new Error(`missed evt-${i}`);
    // 16 bytes a slot pair at load <= 1/2: at most 32 bytes an id after growth.
    expect(s.bytes).toBeLessThanOrEqual(32 * n);
  });

  it('reports absent ids as absent (64-bit hashes: no collision expected among 400 000)', () => {
    const s = new IdHashSet(100_000);
    for (let i = 0; i < 200_000; i++) s.add(`evt-${i}`);
    let hits = 0;
    for (let i = 200_000; i < 400_000; i++) if (s.mayHave(`evt-${i}`)) hits++;
    expect(hits).toBe(0);
    expect(s.mayHave('')).toBe(false);
    expect(s.mayHave('evt-1 ')).toBe(false);
  });

  it('counts an id added twice once, and tells apart ids of equal hash-prefix shape', () => {
    const s = new IdHashSet();
    s.add('a');
    s.add('a');
    s.add('ab');
    s.add('ba');
    s.add('\u00e9t\u00e9');
    expect(s.size).toBe(4);
    expect(s.mayHave('b')).toBe(false);
    expect(s.mayHave('\u00e9t\u00e9')).toBe(true);
    expect(s.mayHave('ete')).toBe(false);
  });
});

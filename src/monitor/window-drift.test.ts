import { describe, expect, it } from 'vitest';
import { detectDrift } from '../drift/detect-drift.js';
import { prepareCategoricalReference, prepareNumericReference } from '../drift/prepare.js';
import { createRng } from '../stats/random.js';
import { detectWindowDrift, type NullCache } from './window-drift.js';

const rng = createRng(42);
const normal = (n: number, shift = 0) => Float64Array.from({ length: n }, () => shift + rng.normal());
const cats = (n: number, pB: number) =>
  Array.from({ length: n }, () => (rng.next() < pB ? 'b' : rng.next() < 0.5 ? 'a' : 'c'));

const refX = prepareNumericReference(normal(20_000));
const refC = prepareCategoricalReference(cats(20_000, 0.3));

describe('detectWindowDrift (cached nulls) agrees with detectDrift', () => {
  it.each([
    ['no drift', 0, 0.3, []],
    ['numeric shift of 0.5 sd', 0.5, 0.3, ['x']],
    ['categorical re-weighting', 0, 0.7, ['c']],
  ])('%s', (_name, shift, pB, drifted) => {
    for (const m of [3000, 12_000]) {
      const x = normal(m, shift);
      const c = cats(m, pB);
      const cache: NullCache = new Map();
      const mine = detectWindowDrift(
        [
          { name: 'x', reference: refX, current: x },
          { name: 'c', reference: refC, current: c },
        ],
        cache,
      );
      const theirs = detectDrift(
        [
          { name: 'x', type: 'numeric', reference: refX, current: x },
          { name: 'c', type: 'categorical', reference: refC, current: c },
        ],
        { minSamples: 200 },
      );
      expect(mine.drifted).toEqual(drifted);
      expect(theirs.drifted).toEqual(drifted);
      for (const k of [0, 1]) {
        const a = mine.columns[k];
        const b = theirs.columns[k];
        if (a.status !== 'ok' || b.status !== 'ok') throw new Error('verdicts expected');
        // same effect size exactly; p-values from different (rescaled) null draws agree loosely
        expect(a.effect.value).toBe(b.effect.value);
        expect(a.significance.test).toBe(b.significance.test);
        expect(Math.abs(a.effect.debiased - b.effect.debiased)).toBeLessThan(0.02);
      }
    }
  });
});

describe('null cache', () => {
  it('estimates one null per column, statistic and size bucket, reused by nearby sizes', () => {
    const cache: NullCache = new Map();
    for (const m of [10_000, 10_050, 10_100]) {
      detectWindowDrift([{ name: 'x', reference: refX, current: normal(m) }], cache);
    }
    expect(cache.size).toBe(1);
    detectWindowDrift([{ name: 'x', reference: refX, current: normal(20_000) }], cache);
    expect(cache.size).toBe(2);
  });
  it('gives insufficient_data below minSamples, and rejects bad options', () => {
    const r = detectWindowDrift([{ name: 'x', reference: refX, current: normal(50) }], new Map());
    expect(r.columns[0].status).toBe('insufficient_data');
    expect(r.drifted).toEqual([]);
    expect(() => detectWindowDrift([], new Map(), { bucketRatio: 1 })).toThrow(/bucketRatio: 1/);
    expect(() => detectWindowDrift([], new Map(), { alpha: 0 })).toThrow(/alpha: 0/);
  });
});

import { describe, expect, it } from 'vitest';
import {
  fitCategoryFrequencies,
  fitPairedCategorical,
  fitPairedNumeric,
  fitQuantiles,
  nameRatio,
} from '../../src/pipeline-check/transforms.js';
import { createRng } from '../../src/stats/random.js';

// Synthetic data with a known relation; paired fits must be exact to 1e-6 relative (the default
// tolerance), distributional ones within the 2 % quantile tolerance.
const rng = createRng(42);
const n = 5000;
const x = Float64Array.from({ length: n }, () => 1 + 99 * rng.next());
const normal = Float64Array.from({ length: n }, () => 50 + 10 * rng.normal());

describe('fitPairedNumeric', () => {
  it('finds a named constant ratio (miles → km)', () => {
    const fit = fitPairedNumeric(
      x,
      x.map((v) => v * 1.609344),
    );
    expect(fit?.kind).toBe('constant-ratio');
    expect(fit?.parameters.ratio).toBeCloseTo(1.609344, 9);
    expect(fit?.description).toContain('miles → km');
  });
  it('finds ×100 and a constant offset', () => {
    expect(
      fitPairedNumeric(
        x,
        x.map((v) => v * 100),
      )?.parameters.unit,
    ).toContain('percent');
    const off = fitPairedNumeric(
      x,
      x.map((v) => v - 273.15),
    );
    expect(off?.kind).toBe('constant-offset');
    expect(off?.parameters.offset).toBeCloseTo(-273.15, 9);
  });
  it('names standardisation applied, applied twice, and removed', () => {
    const { mean, sd } = moments(normal);
    const z = normal.map((v) => (v - mean) / sd);
    const once = fitPairedNumeric(normal, z);
    expect(once?.kind).toBe('affine');
    expect(once?.description).toContain('standardisation applied');
    // standardised again with the raw mean and std (50, 10)
    expect(
      fitPairedNumeric(
        z,
        z.map((v) => (v - 50) / 10),
      )?.description,
    ).toContain('standardised twice');
    expect(fitPairedNumeric(z, normal)?.description).toContain('standardisation removed');
  });
  it('finds log, exp, clipping and bucketing', () => {
    expect(fitPairedNumeric(x, x.map(Math.log))?.kind).toBe('log');
    expect(fitPairedNumeric(x, x.map(Math.log1p))?.description).toContain('ln(1 + before)');
    const small = x.map((v) => v / 50);
    expect(fitPairedNumeric(small, small.map(Math.exp))?.kind).toBe('exp');
    const clip = fitPairedNumeric(
      x,
      x.map((v) => Math.min(80, Math.max(10, v))),
    );
    expect(clip?.kind).toBe('clipping');
    expect(clip?.parameters).toMatchObject({ low: 10, high: 80 });
    const ints = x.map(Math.floor);
    expect(
      fitPairedNumeric(
        ints,
        ints.map((v) => 10 * Math.floor(v / 10)),
      )?.kind,
    ).toBe('bucketing');
  });
  it('finds a permutation and a merge of codes, and a changed fill value', () => {
    const codes = Float64Array.from({ length: n }, () => rng.int(20));
    const perm = [3, 1, 0, 2, 4, 19, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
    expect(
      fitPairedNumeric(
        codes,
        codes.map((v) => perm[v]),
      )?.kind,
    ).toBe('category-remap');
    expect(
      fitPairedNumeric(
        codes,
        codes.map((v) => (v % 2 ? v : 7)),
      )?.kind,
    ).toBe('category-merge');
    const filled = codes.map((v) => (v === 0 ? -1 : v));
    const fit = fitPairedNumeric(
      filled,
      filled.map((v) => (v === -1 ? -999 : v)),
    );
    expect(fit?.kind).toBe('null-fill');
    expect(fit?.description).toContain('-1 → -999');
  });
  it('returns undefined for unrelated values', () => {
    expect(
      fitPairedNumeric(
        x,
        Float64Array.from(x, () => rng.next()),
      ),
    ).toBeUndefined();
  });
  it('keeps a ratio when a few rows (< 0.5 %) disagree, and rejects it above', () => {
    const y = x.map((v) => 2 * v);
    for (let i = 0; i < 20; i++) y[i] = 0;
    expect(fitPairedNumeric(x, y)?.kind).toBe('constant-ratio');
    for (let i = 0; i < 100; i++) y[i] = 0;
    expect(fitPairedNumeric(x, y)?.kind).not.toBe('constant-ratio');
  });
});

describe('fitPairedCategorical', () => {
  const labels = ['a', 'b', 'c', 'd'];
  const values = Array.from({ length: 1000 }, () => labels[rng.int(4)] as string | null);
  it('finds a relabelling, a merge and a null fill', () => {
    const swap: Record<string, string> = { a: 'b', b: 'a', c: 'c', d: 'd' };
    expect(
      fitPairedCategorical(
        values,
        values.map((v) => swap[v!]),
      )?.kind,
    ).toBe('category-remap');
    expect(
      fitPairedCategorical(
        values,
        values.map((v) => (v === 'd' ? 'c' : v)),
      )?.kind,
    ).toBe('category-merge');
    const withNull = values.map((v) => (v === 'd' ? null : v));
    const fit = fitPairedCategorical(
      withNull,
      withNull.map((v) => v ?? 'UNKNOWN'),
    );
    expect(fit?.kind).toBe('null-fill');
    expect(fit?.description).toContain('(missing) → UNKNOWN');
  });
});

describe('distributional fits', () => {
  const other = Float64Array.from({ length: n }, () => 1 + 99 * rng.next());
  it('finds a ratio and an offset between independent samples', () => {
    const fit = fitQuantiles(
      x,
      other.map((v) => v * 1.609344),
    );
    expect(fit?.kind).toBe('constant-ratio');
    expect(Math.abs((fit?.parameters.ratio as number) / 1.609344 - 1)).toBeLessThan(0.02);
    expect(fitQuantiles(normal, normal.map((v) => v + 30).reverse())?.kind).toBe('constant-offset');
  });
  it('finds clipping and bucketing between independent samples', () => {
    const clip = fitQuantiles(
      x,
      other.map((v) => Math.min(90, Math.max(10, v))),
    );
    expect(clip?.kind).toBe('clipping');
    expect(clip?.parameters).toMatchObject({ low: 10, high: 90 });
    expect(
      fitQuantiles(
        x,
        other.map((v) => 10 * Math.floor(v / 10)),
      )?.kind,
    ).toBe('bucketing');
  });
  it('finds nothing between two samples of one distribution', () => {
    expect(fitQuantiles(x, other)).toBeUndefined();
  });
  it('matches category frequencies by rank', () => {
    const a = new Map([
      ['x', 500],
      ['y', 300],
      ['z', 200],
    ]);
    const b = new Map([
      ['x', 195],
      ['y', 505],
      ['z', 300],
    ]);
    const fit = fitCategoryFrequencies(a, b);
    expect(fit?.kind).toBe('category-remap');
    expect(fit?.parameters.mapping).toEqual([
      ['x', 'y'],
      ['y', 'z'],
      ['z', 'x'],
    ]);
    expect(
      fitCategoryFrequencies(
        a,
        new Map([
          ['x', 490],
          ['y', 310],
          ['z', 200],
        ]),
      ),
    ).toBeUndefined();
    // near-uniform categories (e.g. weekdays of two different partial weeks) cannot be matched by rank
    const early = new Map([
      ['1', 250],
      ['2', 245],
      ['3', 255],
      ['4', 250],
    ]);
    const late = new Map([
      ['3', 250],
      ['4', 255],
      ['5', 245],
      ['6', 250],
    ]);
    expect(fitCategoryFrequencies(early, late)).toBeUndefined();
  });
  it('names known factors only when close', () => {
    expect(nameRatio(1.60934)).toBe('miles → km');
    expect(nameRatio(1.62)).toBeUndefined();
  });
});

function moments(v: Float64Array): { mean: number; sd: number } {
  const mean = v.reduce((s, a) => s + a, 0) / v.length;
  return { mean, sd: Math.sqrt(v.reduce((s, a) => s + (a - mean) ** 2, 0) / v.length) };
}

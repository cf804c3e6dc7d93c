import { describe, expect, it } from 'vitest';
import { close, loadFixture } from '../../test/stats/load-fixture.js';
import { binCounts, binCountsSorted, categoryCounts, quantileEdges } from './histogram.js';
import { sortFloat64 } from './quantile.js';

// Oracle: numpy.quantile edges and numpy.searchsorted(side='right') + bincount counts
// (scripts/fixtures-stats.py). Edges within 1e-12 relative; counts exact.
const fx = loadFixture('stats-basics');

describe('quantileEdges and binCounts', () => {
  for (const c of fx.binning) {
    it(`match numpy: ${c.name}`, () => {
      const edges = quantileEdges(sortFloat64(c.reference), c.bins);
      expect(edges.length).toBe(c.edges.length);
      for (let i = 0; i < edges.length; i++) expect(close(edges[i], c.edges[i], 1e-12, 1e-300)).toBe(true);
      const expected = Float64Array.from(c.counts);
      const exact = Float64Array.from(c.edges);
      expect(binCounts(c.current, exact)).toEqual(expected);
      expect(binCountsSorted(sortFloat64(c.current), exact)).toEqual(expected);
    });
  }
});

describe('bin convention', () => {
  const edges = new Float64Array([1, 2, 3]);
  it('puts a value equal to an edge in the bin to its right (side="right")', () => {
    expect(Array.from(binCounts([0, 1, 1.5, 2, 3, 4], edges))).toEqual([1, 2, 1, 2]);
    expect(Array.from(binCountsSorted([0, 1, 1.5, 2, 3, 4], edges))).toEqual([1, 2, 1, 2]);
  });
  it('handles empty input, no edges, infinities, and skips NaN', () => {
    expect(Array.from(binCounts([], edges))).toEqual([0, 0, 0, 0]);
    expect(Array.from(binCounts([5, -5], new Float64Array(0)))).toEqual([2]);
    const vals = [Number.NEGATIVE_INFINITY, 2.5, Number.POSITIVE_INFINITY, Number.NaN];
    expect(Array.from(binCounts(vals, edges))).toEqual([1, 0, 1, 1]);
    expect(Array.from(binCountsSorted(sortFloat64(vals), edges))).toEqual([1, 0, 1, 1]);
  });
  it('sorted counting skips several edges at once', () => {
    expect(Array.from(binCountsSorted([0, 0, 10, 10, 10], edges))).toEqual([2, 0, 0, 3]);
  });
  it('rejects unsorted edges, unsorted input to the sorted variant, and bad bins', () => {
    expect(() => binCounts([1], new Float64Array([2, 1]))).toThrow(/invalid edges/);
    expect(() => binCountsSorted([3, 1], edges)).toThrow(/expected ascending/);
    expect(() => quantileEdges([1, 2], 0)).toThrow(/invalid bins: 0/);
    expect(quantileEdges([], 5).length).toBe(0);
  });
  it('skips NaN cut points between infinite order statistics', () => {
    const inf = Number.POSITIVE_INFINITY;
    expect(Array.from(quantileEdges([-inf, -inf, -inf, 0, 1, inf, inf, inf], 4))).toEqual([0.5]);
  });
});

describe('categoryCounts', () => {
  it('counts categories in first-seen order and null/undefined as missing', () => {
    const r = categoryCounts(['b', 'a', null, 'b', undefined, '']);
    expect([...r.counts.entries()]).toEqual([
      ['b', 2],
      ['a', 1],
      ['', 1],
    ]);
    expect(r.missing).toBe(2);
  });
});

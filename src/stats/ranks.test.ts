import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../test/stats/load-fixture.js';
import { sortFloat64 } from './quantile.js';
import { rankAverage, tieGroupSizes } from './ranks.js';

// Oracle: scipy.stats.rankdata and numpy.unique counts (scripts/fixtures-stats.py). Ranks are
// multiples of 1/2, so the comparison is exact.
const fx = loadFixture('stats-basics');

describe('rankAverage', () => {
  for (const c of fx.samples) {
    it(`matches scipy.stats.rankdata: ${c.name}`, () => {
      expect(Array.from(rankAverage(c.values))).toEqual(c.ranks);
    });
  }
});

describe('tieGroupSizes', () => {
  for (const c of fx.samples) {
    it(`matches numpy.unique counts: ${c.name}`, () => {
      expect(tieGroupSizes(sortFloat64(c.values))).toEqual(c.tieGroupSizes);
    });
  }
});

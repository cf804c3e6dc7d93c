import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../test/stats/load-fixture.js';
import { classCounts, confusionMatrix } from './confusion.js';

// Oracle: scikit-learn 1.2.1 confusion_matrix (exact integer counts).
const { classification } = loadFixture('metrics-multiclass');

describe('confusionMatrix against scikit-learn', () => {
  for (const c of classification) {
    it(c.name, () => {
      const cm = confusionMatrix(c.yTrue, c.yPred, { labels: c.labels ?? undefined });
      expect(cm.matrix).toEqual(c.confusion);
      if (c.labels) expect(cm.labels).toEqual(c.labels);
    });
  }
});

describe('confusionMatrix by hand', () => {
  it('orders classes as np.unique: numbers numerically, strings by code unit', () => {
    expect(confusionMatrix([10, 9, 10], [9, 9, 10]).labels).toEqual([9, 10]);
    expect(confusionMatrix(['b', 'B', 'a'], ['a', 'B', 'a']).labels).toEqual(['B', 'a', 'b']);
  });

  it('drops samples whose label is not in labels', () => {
    expect(confusionMatrix([0, 1, 2, 2], [0, 2, 2, 1], { labels: [2, 0] }).matrix).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('counts one-vs-rest totals over all samples, also for classes outside labels', () => {
    // Sample 3 (true 1, predicted 2) counts as a false positive of class 2 although 1 is not selected.
    const counts = classCounts([0, 2, 2, 1], [0, 2, 1, 2], [2, 0]);
    expect(Array.from(counts.tp)).toEqual([1, 1]);
    expect(Array.from(counts.predicted)).toEqual([2, 1]);
    expect(Array.from(counts.actual)).toEqual([2, 1]);
  });

  it('rejects mixed label types, duplicate labels and mismatched lengths', () => {
    expect(() => confusionMatrix([0, 'a'], [0, 'a'])).toThrow(TypeError);
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [0, 0] })).toThrow(/distinct/);
    expect(() => confusionMatrix([0, 1], [0])).toThrow(RangeError);
  });
});

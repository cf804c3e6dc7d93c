/**
 * Ranks with ties averaged, the convention of scipy.stats.rankdata(method='average')
 * and of the Mann–Whitney and Spearman statistics.
 */

/**
 * Average ranks, 1-based: tied values get the mean of the ranks they span
 * (as scipy.stats.rankdata, method 'average'). O(n log n). Input must not contain NaN.
 */
export function rankAverage(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => values[i] - values[j]);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    const v = values[order[i]];
    while (j < n && values[order[j]] === v) j++;
    // ranks i+1 .. j share their mean
    const r = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k]] = r;
    i = j;
  }
  return ranks;
}

/** Sizes of the runs of equal values in a sorted array (1 for untied values), in order. O(n). */
export function tieGroupSizes(sorted: ArrayLike<number>): number[] {
  const sizes: number[] = [];
  const n = sorted.length;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    sizes.push(j - i);
    i = j;
  }
  return sizes;
}

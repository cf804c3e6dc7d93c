import { describe, expect, it } from 'vitest';
import { applyBinning, computeBinning, numericBin, quantileCuts } from './binning.js';

describe('quantileCuts', () => {
  it('uses the distinct values except the smallest when they fit in maxBin (as XGBoost hist)', () => {
    expect([...quantileCuts([3, 1, 2, 2, Number.NaN, 5], 256)]).toEqual([2, 3, 5]);
  });
  it('gives no cut for a constant or empty column', () => {
    expect(quantileCuts([4, 4, 4], 256).length).toBe(0);
    expect(quantileCuts([], 256).length).toBe(0);
  });
  it('caps the number of bins at maxBin with cuts at data quantiles', () => {
    const col = Array.from({ length: 1000 }, (_, i) => i);
    const cuts = quantileCuts(col, 4);
    expect([...cuts]).toEqual([250, 500, 750]);
  });
});

describe('numericBin / applyBinning', () => {
  it('puts x in bin b when cuts[b−1] ≤ x < cuts[b]', () => {
    const cuts = Float64Array.of(2, 3, 5);
    expect([1, 2, 2.5, 3, 4.9, 5, 100].map((x) => numericBin(cuts, x))).toEqual([0, 1, 1, 2, 2, 3, 3]);
  });
  it('sends NaN and out-of-range codes to the missing bin, column-major', () => {
    const cols = [Float64Array.of(1, Number.NaN, 3), Float64Array.of(0, 2, 5)];
    const binning = computeBinning(cols, ['numeric', 'categorical'], [0, 3]);
    const m = applyBinning(cols, binning);
    expect(binning[0].valueBins).toBe(2);
    expect(m.bins).toBeInstanceOf(Uint8Array);
    expect([...m.bins]).toEqual([0, 2, 1, 0, 2, 3]);
  });
  it('switches to Uint16Array when a feature needs more than 256 bins', () => {
    const col = Float64Array.from({ length: 600 }, (_, i) => i);
    const m = applyBinning([col], computeBinning([col], ['numeric'], [0], { maxBin: 300 }));
    expect(m.bins).toBeInstanceOf(Uint16Array);
    expect(m.bins[599]).toBe(299);
  });
  it('rejects invalid arguments', () => {
    expect(() => computeBinning([[1]], ['numeric'], [0], { maxBin: 1 })).toThrow(RangeError);
    expect(() => computeBinning([[1]], ['categorical'], [0])).toThrow(/category count/);
    const inf = [Float64Array.of(1, Number.POSITIVE_INFINITY)];
    expect(() => applyBinning(inf, computeBinning([Float64Array.of(1, 2)], ['numeric'], [0]))).toThrow(
      /row 1: Infinity/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { prepareReference } from '../../drift/prepare.js';
import { distributionBins } from './feature-distribution.js';

const numeric = (values: number[]) => ({ kind: 'numeric' as const, values: Float64Array.from(values) });
const dictionary = (values: (string | null)[]) => {
  const dict = [...new Set(values.filter((v): v is string => v !== null))];
  return {
    kind: 'dictionary' as const,
    dictionary: dict,
    codes: Int32Array.from(values, (v) => (v === null ? -1 : dict.indexOf(v))),
  };
};

describe('distributionBins', () => {
  it('bins an integer feature one value per bin, shares of the non-missing values (exact)', () => {
    const ref = prepareReference({ type: 'numeric', values: [0, 1, 1, 2, 2, 2, 3, 3, 3, 3] });
    const d = distributionBins(ref, numeric([3, 3, 3, Number.NaN, 0, 9]));
    expect(d.type).toBe('numeric');
    expect(d.reference).toEqual({ n: 10, missing: 0 });
    expect(d.current).toEqual({ n: 5, missing: 1 });
    expect(d.bins.map((b) => b.label)).toEqual(['0', '1', '2', '3']);
    expect(d.bins.map((b) => b.reference)).toEqual([0.1, 0.2, 0.3, 0.4]);
    // 9 lies beyond the reference: it joins the last bin
    expect(d.bins.map((b) => b.current)).toEqual([0.2, 0, 0, 0.8]);
  });

  it('bins a continuous feature in equal widths over the reference 0.5–99.5 % quantiles (1e-12)', () => {
    const values = Array.from({ length: 1001 }, (_, i) => i / 100); // 0 … 10
    const ref = prepareReference({ type: 'numeric', values });
    const d = distributionBins(ref, numeric([-5, 0.06, 9.94, 50]), { bins: 4 });
    // quantiles type 7 of 0..10 step 0.01: 0.05 and 9.95
    expect(d.bins[0].lo).toBeCloseTo(0.05, 12);
    expect(d.bins[3].hi).toBeCloseTo(9.95, 12);
    expect(d.bins.map((b) => b.current)).toEqual([0.5, 0, 0, 0.5]);
    expect(d.bins.reduce((t, b) => t + b.reference, 0)).toBeCloseTo(1, 12);
  });

  it('ranks categories by the larger share and folds the rest into (other)', () => {
    const ref = prepareReference({ type: 'categorical', values: ['a', 'a', 'a', 'b', 'b', 'c', null] });
    const d = distributionBins(ref, dictionary(['z', 'z', 'z', 'a', null]), { bins: 2 });
    expect(d.type).toBe('categorical');
    expect(d.reference).toEqual({ n: 6, missing: 1 });
    expect(d.current).toEqual({ n: 4, missing: 1 });
    expect(d.bins).toEqual([
      { label: 'z', reference: 0, current: 0.75 },
      { label: 'a', reference: 0.5, current: 0.25 },
      { label: '(other)', reference: 0.5, current: 0 },
    ]);
  });

  it('rejects bad bins and a column of the wrong kind', () => {
    const ref = prepareReference({ type: 'numeric', values: [1, 2, 3] });
    expect(() => distributionBins(ref, numeric([1]), { bins: 0 })).toThrow(RangeError);
    expect(() => distributionBins(ref, dictionary(['a']))).toThrow(TypeError);
  });
});

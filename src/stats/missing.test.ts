import { describe, expect, it } from 'vitest';
import { dropMissing } from './missing.js';

describe('dropMissing', () => {
  it('skips and counts NaN, null and undefined, keeping order and infinities', () => {
    const r = dropMissing([1, Number.NaN, null, 2, undefined, Number.POSITIVE_INFINITY, -0]);
    expect(Array.from(r.values)).toEqual([1, 2, Number.POSITIVE_INFINITY, -0]);
    expect(r.missing).toBe(3);
  });
  it('handles empty, all-missing and clean input', () => {
    expect(dropMissing([])).toEqual({ values: new Float64Array(0), missing: 0 });
    expect(dropMissing([null, Number.NaN])).toEqual({ values: new Float64Array(0), missing: 2 });
    const clean = dropMissing(new Float64Array([3, 1]));
    expect(Array.from(clean.values)).toEqual([3, 1]);
    expect(clean.missing).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { gaussLegendre01 } from './gauss-legendre.js';

describe('gaussLegendre01', () => {
  it('integrates t^k exactly on [0, 1] for k <= 2m − 1 (to 1e-14) and not beyond', () => {
    for (let m = 1; m <= 10; m++) {
      const { t, w } = gaussLegendre01(m);
      const integral = (k: number) => t.reduce((s, tp, p) => s + w[p] * tp ** k, 0);
      for (let k = 0; k <= 2 * m - 1; k++) expect(Math.abs(integral(k) - 1 / (k + 1))).toBeLessThan(1e-14);
      if (m <= 5) expect(Math.abs(integral(2 * m) - 1 / (2 * m + 1))).toBeGreaterThan(1e-9);
    }
  });
  it('rejects a non-positive node count', () => {
    expect(() => gaussLegendre01(0)).toThrow(RangeError);
  });
});

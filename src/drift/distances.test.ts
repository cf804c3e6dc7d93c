import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropMissing } from '../stats/missing.js';
import { sortFloat64 } from '../stats/quantile.js';
import { referenceEdges } from './distributions.js';
import { hellingerCategorical, hellingerDistance, hellingerNumeric } from './hellinger.js';
import { jensenShannonCategorical, jensenShannonDistance, jensenShannonNumeric } from './jensen-shannon.js';
import { prepareCurrent, prepareReference } from './prepare.js';
import { computePsi, psiCategorical, psiNumeric } from './psi.js';
import { driftTests } from './registry.js';
import { normalizedWasserstein, standardDeviation, wasserstein1, wasserstein1Sorted } from './wasserstein.js';

// Oracle: scripts/fixtures-drift.py (NumPy / SciPy). Tolerance: 1e-9 relative, 1e-12 absolute near 0.
const REL = 1e-9;
const ABS = 1e-12;

type Encoded = number | null | 'Infinity' | '-Infinity';
const decode = (v: Encoded): number =>
  v === null ? Number.NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v;
const decodeAll = (a: Encoded[]): number[] => a.map(decode);

interface Distances {
  name: string;
  psi: number;
  jensenShannon: number;
  hellinger: number;
}
interface NumericCase extends Distances {
  bins: number;
  reference: Encoded[];
  current: Encoded[];
  edges: number[];
  refCounts: number[];
  curCounts: number[];
  wasserstein: Encoded;
  normalizedWasserstein: Encoded;
  refStd: number;
}
interface CountsCase extends Distances {
  refCounts: number[];
  curCounts: number[];
}
interface CategoricalCase extends Distances {
  reference: Record<string, number>;
  current: Record<string, number>;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/drift-distances.json', import.meta.url), 'utf8'),
) as {
  numeric: NumericCase[];
  counts: CountsCase[];
  categorical: CategoricalCase[];
};

function expectClose(actual: number, expected: number): void {
  if (!Number.isFinite(expected)) {
    expect(actual).toBe(expected);
    return;
  }
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(ABS, REL * Math.abs(expected)));
}

describe('numeric columns against NumPy/SciPy', () => {
  for (const c of fixture.numeric) {
    it(c.name, () => {
      const refSorted = sortFloat64(dropMissing(decodeAll(c.reference)).values);
      const current = decodeAll(c.current);
      expect(Array.from(referenceEdges(refSorted, c.bins))).toEqual(c.edges);
      expectClose(psiNumeric(refSorted, current, { bins: c.bins }), c.psi);
      expectClose(jensenShannonNumeric(refSorted, current, { bins: c.bins }), c.jensenShannon);
      expectClose(hellingerNumeric(refSorted, current, { bins: c.bins }), c.hellinger);
      expectClose(wasserstein1(decodeAll(c.reference), current), decode(c.wasserstein));
      expectClose(
        wasserstein1Sorted(refSorted, sortFloat64(dropMissing(current).values)),
        decode(c.wasserstein),
      );
      expectClose(standardDeviation(refSorted), c.refStd);
      expectClose(normalizedWasserstein(decodeAll(c.reference), current), decode(c.normalizedWasserstein));
    });
  }
});

describe('count vectors against NumPy/SciPy', () => {
  for (const c of fixture.counts) {
    it(c.name, () => {
      expectClose(computePsi(c.refCounts, c.curCounts), c.psi);
      expectClose(jensenShannonDistance(c.refCounts, c.curCounts), c.jensenShannon);
      expectClose(hellingerDistance(c.refCounts, c.curCounts), c.hellinger);
    });
  }
});

describe('categorical columns against NumPy/SciPy', () => {
  for (const c of fixture.categorical) {
    it(c.name, () => {
      const ref = new Map(Object.entries(c.reference));
      const cur = new Map(Object.entries(c.current));
      expectClose(psiCategorical(ref, cur), c.psi);
      expectClose(jensenShannonCategorical(ref, cur), c.jensenShannon);
      expectClose(hellingerCategorical(ref, cur), c.hellinger);
    });
  }
});

describe('edge cases', () => {
  it('empty sides give NaN, not an exception', () => {
    expect(computePsi([0, 0], [1, 2])).toBeNaN();
    expect(jensenShannonDistance([1, 2], [0, 0])).toBeNaN();
    expect(hellingerDistance([], [])).toBeNaN();
    expect(wasserstein1([], [1, 2])).toBeNaN();
    expect(wasserstein1([Number.NaN], [1])).toBeNaN();
  });

  it('disjoint supports reach the maximum of the bounded distances', () => {
    expect(jensenShannonDistance([1, 0], [0, 1])).toBe(1);
    expect(hellingerDistance([1, 0], [0, 1])).toBe(1);
  });

  it('the PSI epsilon replaces empty-bin proportions only, without renormalising', () => {
    const eps = 1e-3;
    // ref [1, 0] → proportions [1, eps]; cur [1, 1] → [0.5, 0.5]
    const expected = (0.5 - 1) * Math.log(0.5 / 1) + (0.5 - eps) * Math.log(0.5 / eps);
    expect(computePsi([1, 0], [1, 1], { epsilon: eps })).toBeCloseTo(expected, 12);
    expect(computePsi([1, 0], [1, 1])).toBeCloseTo(
      -0.5 * Math.log(0.5) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4),
      12,
    );
  });

  it('a constant reference normalises a non-zero W1 to Infinity and a zero W1 to 0', () => {
    expect(normalizedWasserstein([3, 3, 3], [3, 4])).toBe(Infinity);
    expect(normalizedWasserstein([3, 3, 3], [3, 3])).toBe(0);
  });

  it('ddof 1 divides by the sample standard deviation', () => {
    const ref = [1, 2, 3, 4];
    const w = wasserstein1(ref, [2, 3, 4, 5]);
    expect(normalizedWasserstein(ref, [2, 3, 4, 5], { ddof: 1 })).toBeCloseTo(w / Math.sqrt(5 / 3), 14);
  });

  it('rejects invalid arguments with the value named', () => {
    expect(() => computePsi([1, 2], [1])).toThrow(/lengths 2 and 1/);
    expect(() => computePsi([1, -2], [1, 1])).toThrow(/refCounts\[1\]: -2/);
    expect(() => computePsi([1], [1], { epsilon: 0 })).toThrow(/epsilon: 0/);
    expect(() => jensenShannonDistance([1, Number.NaN], [1, 1])).toThrow(RangeError);
    expect(() => normalizedWasserstein([1], [1], { ddof: 2 as 0 })).toThrow(/ddof: 2/);
  });
});

describe('properties (fast-check, 200 runs each)', () => {
  const counts = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 30 });
  const pairOfCounts = counts.chain((a) =>
    fc.tuple(
      fc.constant(a),
      fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: a.length, maxLength: a.length }),
    ),
  );
  const nonEmpty = ([a, b]: [number[], number[]]) => a.some((x) => x > 0) && b.some((x) => x > 0);
  const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 });

  it('JS and Hellinger are symmetric and within [0, 1]; PSI is symmetric and ≥ 0', () => {
    fc.assert(
      fc.property(pairOfCounts.filter(nonEmpty), ([a, b]) => {
        for (const d of [jensenShannonDistance, hellingerDistance]) {
          const x = d(a, b);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
          expect(Math.abs(x - d(b, a))).toBeLessThanOrEqual(1e-12);
        }
        const psi = computePsi(a, b);
        expect(psi).toBeGreaterThanOrEqual(0);
        expect(Math.abs(psi - computePsi(b, a))).toBeLessThanOrEqual(1e-9 * Math.max(1, psi));
      }),
      { numRuns: 200, seed: 1 },
    );
  });

  it('W1 is symmetric, 0 on itself, and |c| for a translation by c (1e-9 relative to the data scale)', () => {
    fc.assert(
      fc.property(sample, sample, fc.double({ min: -1000, max: 1000, noNaN: true }), (a, b, c) => {
        const scale = 1e-9 * (1e6 + Math.abs(c));
        expect(Math.abs(wasserstein1(a, b) - wasserstein1(b, a))).toBeLessThanOrEqual(scale);
        expect(wasserstein1(a, a)).toBe(0);
        expect(
          Math.abs(
            wasserstein1(
              a,
              a.map((x) => x + c),
            ) - Math.abs(c),
          ),
        ).toBeLessThanOrEqual(scale);
      }),
      { numRuns: 200, seed: 2 },
    );
  });
});

// The registry's analytic tests, wired through prepared columns, against scipy.stats.ks_2samp and
// chi2_contingency(correction=False). Statistics 1e-9 relative; p-values 1e-6 absolute (ground rules).
describe('registry tests against SciPy', () => {
  const registry = (
    fixture as unknown as {
      registry: {
        numeric: {
          name: string;
          reference: number[];
          current: number[];
          ks: { statistic: number; pValue: number };
        }[];
        categorical: {
          name: string;
          reference: string[];
          current: string[];
          chiSquare: { statistic: number; pValue: number };
        }[];
      };
    }
  ).registry;
  for (const c of registry.numeric) {
    it(`KS: ${c.name}`, () => {
      const ref = prepareReference({ type: 'numeric', values: c.reference });
      const r = driftTests.ks.compute(ref, prepareCurrent(ref, c.current));
      expectClose(r.value, c.ks.statistic);
      expect(Math.abs(r.pValue! - c.ks.pValue)).toBeLessThanOrEqual(1e-6);
    });
  }
  for (const c of registry.categorical) {
    it(`chi-square: ${c.name}`, () => {
      const ref = prepareReference({ type: 'categorical', values: c.reference });
      const r = driftTests.chiSquare.compute(ref, prepareCurrent(ref, c.current));
      expectClose(r.value, c.chiSquare.statistic);
      expect(Math.abs(r.pValue! - c.chiSquare.pValue)).toBeLessThanOrEqual(1e-6);
    });
  }
});

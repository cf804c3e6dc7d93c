import { describe, expect, it } from 'vitest';
import { createRng } from '../stats/random.js';
import { type ColumnDrift, detectColumnDrift, detectDrift } from './detect-drift.js';
import { prepareReference } from './prepare.js';
import { chooseDefaultTests, driftTests } from './registry.js';
import { standardDeviation } from './wasserstein.js';

const normals = (seed: number, size: number, mean = 0, sd = 1): Float64Array => {
  const rng = createRng(seed);
  return Float64Array.from({ length: size }, () => mean + sd * rng.normal());
};
const categories = (seed: number, size: number, weights: Record<string, number>): string[] => {
  const rng = createRng(seed);
  const entries = Object.entries(weights);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return Array.from({ length: size }, () => {
    let u = rng.next() * total;
    for (const [c, w] of entries) {
      u -= w;
      if (u < 0) return c;
    }
    return entries[entries.length - 1][0];
  });
};
const ok = (r: ReturnType<typeof detectColumnDrift>): ColumnDrift => {
  expect(r.status).toBe('ok');
  return r as ColumnDrift;
};

describe('chooseDefaultTests', () => {
  it('uses analytic tests up to 1 000 values and resampled effect sizes above', () => {
    expect(chooseDefaultTests('numeric', 1000)).toEqual({ significance: 'ks', effect: 'psi' });
    expect(chooseDefaultTests('numeric', 1001)).toEqual({ significance: 'psi', effect: 'psi' });
    expect(chooseDefaultTests('categorical', 50)).toEqual({
      significance: 'chiSquare',
      effect: 'jensenShannon',
    });
    expect(chooseDefaultTests('categorical', 5000)).toEqual({
      significance: 'jensenShannon',
      effect: 'jensenShannon',
    });
    expect(() => chooseDefaultTests('text' as 'numeric', 10)).toThrow(/columnType: text/);
  });

  it('registers every test once with its kind and floor', () => {
    for (const [name, spec] of Object.entries(driftTests)) expect(spec.name).toBe(name);
    expect(driftTests.ks.kind).toBe('test');
    expect(driftTests.psi.materialFloor).toBe(0.1);
    expect(driftTests.wasserstein.materialFloor).toBe(0.1);
    expect(driftTests.jensenShannon.materialFloor).toBe(0.1);
  });
});

describe('detectColumnDrift, numeric', () => {
  const reference = normals(1, 20_000);

  it('flags a 1 sd shift in a small window by KS and PSI, and says so', () => {
    const r = ok(detectColumnDrift(reference, normals(2, 300, 1), { type: 'numeric' }));
    expect(r.significance.test).toBe('ks');
    expect(r.tests.ks!.pValue).toBeLessThan(1e-6);
    expect(r.tests.psi.value).toBeGreaterThan(0.2); // ≈ 0.93 in law (decile bins of N(0, 1) against N(1, 1))
    expect(r.drifted).toBe(true);
    expect(r.reason).toMatch(/^KS p = .* ≤ 0.05 and PSI .* ≥ 0.1 at n=300$/);
  });

  it('flags a 0.5 sd shift in a large window against the resampled null', () => {
    const r = ok(detectColumnDrift(reference, normals(3, 12_000, 0.5), { type: 'numeric' }));
    expect(r.significance.test).toBe('psi');
    expect(r.significance.null!.mEffective).toBe(Math.round((20_000 * 12_000) / 32_000));
    expect(r.significance.pValue).toBe(1 / 200);
    expect(r.drifted).toBe(true);
    expect(r.reason).toMatch(/^PSI 0\.\d+ ≥ 0.1 and above the null's 95th percentile 0\.\d+ at n=12 000$/);
  });

  it('calls a 0.05 sd shift in a large window significant but not material', () => {
    const r = ok(detectColumnDrift(reference, normals(4, 200_000, 0.05), { type: 'numeric' }));
    expect(r.significant).toBe(true);
    expect(r.material).toBe(false);
    expect(r.drifted).toBe(false);
    expect(r.reason).toMatch(/^PSI .* < 0.1 and above the null's 95th percentile/);
  });

  it('flags a constant column that moves and a rare flag that becomes common (one bin per value)', () => {
    const moved = ok(
      detectColumnDrift(new Float64Array(5000).fill(3), new Float64Array(2000).fill(5), { type: 'numeric' }),
    );
    expect(moved.drifted).toBe(true);
    expect(moved.tests.wasserstein!.normalized).toBe(Infinity);
    const rng = createRng(21);
    const flag = (size: number, p: number) =>
      Float64Array.from({ length: size }, () => (rng.next() < p ? 1 : 0));
    const r = ok(detectColumnDrift(flag(20_000, 0.05), flag(5000, 0.2), { type: 'numeric' }));
    expect(r.tests.psi.value).toBeGreaterThan(0.2); // 0.15·ln 4 + 0.15·ln(0.95/0.8) ≈ 0.23 in law
    expect(r.drifted).toBe(true);
  });

  it('judges materiality without the sampling noise of small windows', () => {
    const prepared = prepareReference({ type: 'numeric', values: reference });
    const trial = (shift: number) => {
      let drifted = 0;
      let rawMaterial = 0;
      for (let i = 0; i < 60; i++) {
        const r = ok(detectColumnDrift(prepared, normals(100 + i, 150, shift), { seed: i }));
        if (r.drifted) drifted++;
        if (r.effect.value >= 0.1) rawMaterial++;
        expect(r.effect.debiased).toBeLessThanOrEqual(r.effect.value);
      }
      return { drifted, rawMaterial };
    };
    // a 0.2 sd shift has a PSI of about 0.04 in law: immaterial, though the raw PSI of 150 values often says ≥ 0.1
    const small = trial(0.2);
    expect(small.drifted).toBeLessThanOrEqual(12);
    expect(small.rawMaterial).toBeGreaterThan(2 * small.drifted);
    // a 0.7 sd shift (PSI about 0.5 in law) is still caught every time
    expect(trial(0.7).drifted).toBeGreaterThanOrEqual(57);
  });

  it('reports every numeric statistic, with W1 in data units and normalised', () => {
    const r = ok(detectColumnDrift(reference, normals(5, 500, 0, 2), { type: 'numeric' }));
    expect(Object.keys(r.tests).sort()).toEqual(['hellinger', 'jensenShannon', 'ks', 'psi', 'wasserstein']);
    expect(r.tests.wasserstein!.normalized).toBeCloseTo(
      r.tests.wasserstein!.value / standardDeviation(reference),
      12,
    );
    expect(r.tests.chiSquare).toBeUndefined();
  });

  it('skips and counts missing and infinite values on both sides', () => {
    const ref = [...normals(6, 200), Number.NaN, null, undefined, Infinity];
    const cur = [...normals(7, 100), null, Number.NaN, -Infinity];
    const r = ok(detectColumnDrift(ref, cur, { type: 'numeric' }));
    expect(r.n).toBe(100);
    expect(r.nReference).toBe(200);
    expect(r.missing).toEqual({ reference: 4, current: 3 });
    expect(Number.isFinite(r.tests.wasserstein!.value)).toBe(true);
  });

  it('returns insufficient_data below minSamples, never a verdict', () => {
    const r = detectColumnDrift(reference, [1, 2, 3, Number.NaN], { type: 'numeric', minSamples: 10 });
    expect(r).toMatchObject({ status: 'insufficient_data', n: 3, drifted: false });
    expect(r.reason).toBe('only 3 non-missing current values (minimum 10)');
    const few = detectColumnDrift([1, 2], normals(8, 100), { type: 'numeric' });
    expect(few.reason).toBe('only 2 non-missing reference values (minimum 50)');
  });

  it('gives the same verdict with a prepared reference, reused across windows', () => {
    const prepared = prepareReference({ type: 'numeric', values: reference });
    for (const seed of [9, 10]) {
      const current = normals(seed, 3000, 0.2);
      expect(detectColumnDrift(prepared, current)).toEqual(
        detectColumnDrift(reference, current, { type: 'numeric' }),
      );
    }
  });

  it('rejects invalid options with the value named', () => {
    expect(() => detectColumnDrift(reference, [1], { type: 'numeric', alpha: 2 })).toThrow(/alpha: 2/);
    expect(() => detectColumnDrift(reference, [1], {})).toThrow(/type: undefined/);
    const prepared = prepareReference({ type: 'numeric', values: reference });
    expect(() => detectColumnDrift(prepared, ['a'], { type: 'categorical' })).toThrow(TypeError);
    expect(() =>
      detectColumnDrift(reference, normals(1, 100), { type: 'numeric', effect: 'chiSquare' }),
    ).toThrow(/test: chiSquare/);
    expect(() => detectColumnDrift(reference, normals(1, 100), { type: 'numeric', effect: 'ks' })).toThrow(
      /effect: ks/,
    );
  });
});

describe('detectColumnDrift, categorical', () => {
  const weights = { a: 50, b: 30, c: 15, d: 5 };
  const reference = categories(11, 10_000, weights);

  it('flags a new dominant category in a small window by chi-square and JS', () => {
    const r = ok(
      detectColumnDrift(reference, categories(12, 400, { ...weights, z: 60 }), { type: 'categorical' }),
    );
    expect(r.significance.test).toBe('chiSquare');
    expect(r.tests.jensenShannon.value).toBeGreaterThan(0.1);
    expect(r.drifted).toBe(true);
    expect(r.reason).toMatch(/^chi-square p = .* and JS distance .* ≥ 0.1 at n=400$/);
  });

  it('does not flag a same-population large window, and flags a reweighted one', () => {
    const same = ok(detectColumnDrift(reference, categories(13, 5000, weights), { type: 'categorical' }));
    expect(same.significance.test).toBe('jensenShannon');
    expect(same.drifted).toBe(false);
    const moved = ok(
      detectColumnDrift(reference, categories(14, 5000, { a: 20, b: 30, c: 15, d: 35 }), {
        type: 'categorical',
      }),
    );
    expect(moved.drifted).toBe(true);
  });

  it('tests boolean columns as two categories', () => {
    const rng = createRng(16);
    const bools = (size: number, p: number) => Array.from({ length: size }, () => rng.next() < p);
    const r = ok(
      detectColumnDrift(bools(3000, 0.16) as never, [...bools(400, 0.35), null] as never, {
        type: 'boolean',
      }),
    );
    expect(r.type).toBe('categorical');
    expect(r.significance.test).toBe('chiSquare');
    expect(r.missing.current).toBe(1);
    expect(r.drifted).toBe(true);
  });

  it('counts null and undefined as missing', () => {
    const r = detectColumnDrift(reference, [...categories(15, 100, weights), null, undefined], {
      type: 'categorical',
    });
    expect(r.missing.current).toBe(2);
    expect(r.n).toBe(100);
  });
});

// Property: same-population windows (reference and window drawn independently) are flagged significant
// in about α of trials; with the floor in force, drifted is rarer still. 200 trials: binomial sd ≈ 0.015;
// accepted band [0.01, 0.11].
describe('false-positive rate of the full rule', () => {
  const rate = (m: number, materialFloor?: number) => {
    let significant = 0;
    let drifted = 0;
    for (let i = 0; i < 200; i++) {
      const r = ok(
        detectColumnDrift(normals(300 + i, 2000), normals(3000 + i, m), {
          type: 'numeric',
          seed: i,
          materialFloor,
        }),
      );
      if (r.significant) significant++;
      if (r.drifted) drifted++;
    }
    return { significant: significant / 200, drifted: drifted / 200 };
  };

  it('is about α for the resampled null (large windows) and ≤ that for drifted', () => {
    const { significant, drifted } = rate(1500);
    expect(significant).toBeGreaterThanOrEqual(0.01);
    expect(significant).toBeLessThanOrEqual(0.11);
    expect(drifted).toBeLessThanOrEqual(significant);
  });

  it('is about α for KS (small windows) with the floor at 0', () => {
    const { significant, drifted } = rate(400, 0);
    expect(significant).toBeGreaterThanOrEqual(0.01);
    expect(significant).toBeLessThanOrEqual(0.11);
    expect(drifted).toBe(significant);
  });
});

describe('detectDrift', () => {
  const columns = Array.from({ length: 20 }, (_, i) => ({
    name: `f${i}`,
    type: 'numeric' as const,
    reference: normals(500 + i, 3000),
    current: normals(600 + i, 3000, i === 7 ? 0.6 : 0),
  }));

  it('flags the one shifted column among 20 after Benjamini–Hochberg', () => {
    const report = detectDrift(columns);
    expect(report.drifted).toEqual(['f7']);
    const f7 = report.columns[7] as ColumnDrift;
    // B raised to ⌈20/0.05⌉ − 1 = 399, so the smallest p-value 1/400 passes BH's cut 0.05/20
    expect(f7.significance.null!.resamples).toBe(399);
    expect(f7.significance.adjustedPValue).toBeLessThanOrEqual(0.05);
    expect(f7.reason).toMatch(/Benjamini–Hochberg adjusted p = .* ≤ 0.05 over 20 columns$/);
    for (const c of report.columns) {
      const r = c as ColumnDrift;
      expect(r.significance.adjustedPValue!).toBeGreaterThanOrEqual(r.significance.pValue);
    }
  });

  it('applies per-column overrides', () => {
    const report = detectDrift([
      { ...columns[7], options: { effect: 'wasserstein' } },
      { ...columns[6], options: { materialFloor: 0 } },
    ]);
    const [shifted, other] = report.columns as ColumnDrift[];
    expect(shifted.effect.test).toBe('wasserstein');
    expect(shifted.reason).toMatch(/normalised W1/);
    expect(other.effect.floor).toBe(0);
    expect(other.effect.test).toBe('psi');
  });

  it('keeps insufficient columns out of the FDR family', () => {
    const report = detectDrift([
      ...columns.slice(6, 8),
      { name: 'tiny', type: 'numeric', reference: normals(1, 100), current: [1, 2] },
    ]);
    expect(report.columns[2].status).toBe('insufficient_data');
    expect(report.columns[1].reason).toMatch(/over 2 columns$/);
  });
});

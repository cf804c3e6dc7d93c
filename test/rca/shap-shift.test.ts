import { describe, expect, it } from 'vitest';
import { predictMargins } from '../../src/models/index.js';
import { compareShap, sampleIndices } from '../../src/rca/shap-shift.js';
import { createRng } from '../../src/stats/random.js';
import { syntheticModel, syntheticWindow } from './synthetic.js';

describe('compareShap', () => {
  const { compiled } = syntheticModel();

  it('decomposes the change in mean margin exactly (local accuracy, tolerance 1e-9)', () => {
    const base = syntheticWindow(11, 1500);
    const cur = syntheticWindow(12, 1500);
    for (let r = 0; r < 1500; r++) cur.columns.distance[r] *= 1.609;
    for (const method of ['path', 'interventional'] as const) {
      const out = compareShap(compiled, cur.columns, base.columns, undefined, {
        method,
        maxRows: 400,
        seed: 3,
      });
      if (out.windows.status !== 'ok') throw new Error('insufficient');
      const mean = (m: Float64Array, rows: Int32Array) => rows.reduce((s, r) => s + m[r], 0) / rows.length;
      const dm =
        mean(predictMargins(compiled, cur.columns), out.rows.current) -
        mean(predictMargins(compiled, base.columns), out.rows.baseline);
      const sum = out.windows.features.reduce((s, f) => s + f.meanSigned.shift, 0);
      expect(Math.abs(out.windows.meanMargin.delta - dm)).toBeLessThan(1e-9 * Math.max(1, Math.abs(dm)));
      expect(Math.abs(sum - dm)).toBeLessThan(1e-9 * Math.max(1, Math.abs(dm)));
      // the scaled feature carries the largest shift, its interval excludes 0
      const top = out.windows.features[0];
      expect(top.feature).toBe('distance');
      expect(top.meanSigned.interval.low * top.meanSigned.interval.high).toBeGreaterThan(0);
    }
  });

  it('finds no shift between two samples of the same process (intervals cover 0)', () => {
    const out = compareShap(
      compiled,
      syntheticWindow(13, 2000).columns,
      syntheticWindow(14, 2000).columns,
      undefined,
      {
        seed: 1,
      },
    );
    if (out.windows.status !== 'ok') throw new Error('insufficient');
    const covering = out.windows.features.filter(
      (f) => f.meanSigned.interval.low <= 0 && f.meanSigned.interval.high >= 0,
    );
    expect(covering.length).toBeGreaterThanOrEqual(4);
  });

  it('compares errors with correct predictions and reports too few rows as a result', () => {
    const w = syntheticWindow(15, 600);
    const errors = new Float64Array(600).map((_, r) => (r % 3 === 0 ? 1 : 0));
    const out = compareShap(compiled, w.columns, w.columns, errors, { maxRows: 300 });
    expect(out.errors?.status).toBe('ok');
    const none = compareShap(compiled, w.columns, w.columns, new Float64Array(600), { maxRows: 300 });
    expect(none.errors?.status).toBe('insufficient_data');
    expect(() => compareShap(compiled, w.columns, w.columns, undefined, { maxRows: 0 })).toThrow(
      /maxRows: 0/,
    );
  });

  it('samples distinct sorted indices', () => {
    const idx = sampleIndices(100, 30, createRng(2));
    expect(new Set(idx).size).toBe(30);
    expect([...idx]).toEqual([...idx].sort((a, b) => a - b));
    expect(sampleIndices(5, 30, createRng(2)).length).toBe(5);
  });
});

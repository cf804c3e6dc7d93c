import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averagePrecision } from './average-precision.js';
import { delongComponents } from './delong.js';
import { rocAuc } from './roc-auc.js';
import { metricsAtThresholds } from './thresholds.js';

// Brute-force definitions on small inputs with many ties (integer scores 0..5); tolerance 1e-12.
const sample = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 5 })), {
    minLength: 1,
    maxLength: 40,
  })
  .map((rows) => ({ y: rows.map((r) => r[0]), s: rows.map((r) => r[1] / 5) }));

function psi(x: number, y: number): number {
  return x > y ? 1 : x === y ? 0.5 : 0;
}

describe('metrics against their brute-force definitions', () => {
  it('rocAuc is the Mann–Whitney U / (P·N) with ties counting one half', () => {
    fc.assert(
      fc.property(sample, ({ y, s }) => {
        const pos = s.filter((_, i) => y[i] === 1);
        const neg = s.filter((_, i) => y[i] === 0);
        const auc = rocAuc(y, s);
        if (pos.length === 0 || neg.length === 0) return Number.isNaN(auc);
        let u = 0;
        for (const a of pos) for (const b of neg) u += psi(a, b);
        return Math.abs(auc - u / (pos.length * neg.length)) < 1e-12;
      }),
    );
  });

  it('averagePrecision is Σ over distinct thresholds of precision(t)·Δrecall(t)', () => {
    fc.assert(
      fc.property(sample, ({ y, s }) => {
        const p = y.filter((v) => v === 1).length;
        const ap = averagePrecision(y, s);
        if (p === 0) return Number.isNaN(ap);
        let expected = 0;
        let prevRecall = 0;
        for (const t of [...new Set(s)].sort((a, b) => b - a)) {
          const tp = s.filter((v, i) => v >= t && y[i] === 1).length;
          const predicted = s.filter((v) => v >= t).length;
          expected += (tp / p - prevRecall) * (tp / predicted);
          prevRecall = tp / p;
        }
        return Math.abs(ap - expected) < 1e-12;
      }),
    );
  });

  it('DeLong components are the pairwise means of ψ', () => {
    fc.assert(
      fc.property(sample, ({ y, s }) => {
        const pos = s.filter((_, i) => y[i] === 1);
        const neg = s.filter((_, i) => y[i] === 0);
        if (pos.length === 0 || neg.length === 0) return true;
        const { v10, v01 } = delongComponents(y, s);
        const ok10 = pos.every(
          (a, i) => Math.abs(v10[i] - neg.reduce((acc, b) => acc + psi(a, b), 0) / neg.length) < 1e-12,
        );
        const ok01 = neg.every(
          (b, j) => Math.abs(v01[j] - pos.reduce((acc, a) => acc + psi(a, b), 0) / pos.length) < 1e-12,
        );
        return ok10 && ok01;
      }),
    );
  });

  it('metricsAtThresholds counts score ≥ t at any threshold', () => {
    fc.assert(
      fc.property(
        sample,
        fc.array(fc.double({ min: -0.5, max: 1.5, noNaN: true }), { maxLength: 6 }),
        ({ y, s }, ts) => {
          const m = metricsAtThresholds(y, s, { thresholds: ts });
          return ts.every((t, k) => {
            const tp = s.filter((v, i) => v >= t && y[i] === 1).length;
            const fp = s.filter((v, i) => v >= t && y[i] === 0).length;
            return m.tp[k] === tp && m.fp[k] === fp && m.tn[k] + m.fp[k] === y.filter((v) => v === 0).length;
          });
        },
      ),
    );
    expect(metricsAtThresholds([0, 1], [0.3, 0.6], { thresholds: [] }).tp.length).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { expectClose } from '../../test/metrics/expect-close.js';
import { loadFixture } from '../../test/stats/load-fixture.js';
import { bootstrapInterval } from '../stats/bootstrap.js';
import { wilsonInterval } from '../stats/wilson.js';
import { type BinaryEvaluation, evaluateBinary } from './evaluate.js';

// Oracle: the scikit-learn 1.2.1 values of metrics-binary.json (tolerance 1e-9 relative); the
// intervals are checked against their own building blocks (Wilson, DeLong fixtures) and for reproducibility.
const RTOL = 1e-9;
const { cases } = loadFixture('metrics-binary');
const byName = (name: string) => cases.find((c: { name: string }) => c.name === name);

function ok(r: ReturnType<typeof evaluateBinary>): BinaryEvaluation {
  if ('status' in r && r.status === 'insufficient_data') throw new Error('unexpected insufficient data');
  return r as BinaryEvaluation;
}

describe('evaluateBinary against scikit-learn', () => {
  for (const name of [
    '3000 continuous',
    '3000 rounded to 2 decimals',
    '2000 rare positives',
    'small ties (1 decimal)',
  ]) {
    it(name, () => {
      const c = byName(name);
      const e = ok(evaluateBinary({ yTrue: c.yTrue, scores: c.scores, bootstrapResamples: 100 }));
      const at = c.atThresholds.find((r: { threshold: number }) => r.threshold === 0.5);
      expect(e.confusion).toMatchObject({ tp: at.tp, fp: at.fp, fn: at.fn, tn: at.tn });
      expectClose(e.precision.value!, at.precision, RTOL);
      expectClose(e.recall.value!, at.recall, RTOL);
      expectClose(e.f1.value!, at.f1, RTOL);
      expectClose(e.rocAuc!.value!, c.rocAuc, RTOL);
      expectClose(e.rocAuc!.ci!.low, c.delong.low, RTOL);
      expectClose(e.rocAuc!.ci!.high, c.delong.high, RTOL);
      expectClose(e.averagePrecision!.value!, c.averagePrecisionSklearn, RTOL);
      expectClose(e.logLoss!.value!, c.logLossAuto, RTOL);
      expectClose(e.brier!.value!, c.brier, RTOL);
      expectClose(e.ece!, c.ece10, RTOL);
      expect(e.accuracy.ci).toEqual(wilsonInterval(at.tp + at.tn, c.yTrue.length));
      for (const m of [e.f1, e.averagePrecision!, e.logLoss!, e.brier!]) {
        expect(m.ci!.low).toBeLessThanOrEqual(m.value!);
        expect(m.ci!.high).toBeGreaterThanOrEqual(m.value!);
      }
    });
  }

  it('gives the same AP through the sorting path (many distinct scores, small resamples)', () => {
    const c = byName('3000 continuous');
    const e = ok(
      evaluateBinary({ yTrue: c.yTrue, scores: c.scores, bootstrapResamples: 50, bootstrapSampleSize: 300 }),
    );
    expectClose(e.averagePrecision!.value!, c.averagePrecisionSklearn, RTOL);
    expect(e.averagePrecision!.ci!.low).toBeLessThan(e.averagePrecision!.ci!.high);
  });
});

describe('evaluateBinary normal intervals of log loss and Brier', () => {
  // Oracle: evaluate-intervals.json (scripts/fixtures-evaluate-intervals.py, NumPy/SciPy):
  // mean ± norm.ppf(1 − α/2)·std(ddof=1)/√n, clipped to ≥ 0 here; tolerance 1e-9 relative.
  const { cases: intervals } = loadFixture('evaluate-intervals');
  for (const o of intervals) {
    it(`${o.name}, confidence ${o.confidence}`, () => {
      const c = byName(o.name);
      const e = ok(evaluateBinary({ yTrue: c.yTrue, scores: c.scores, confidence: o.confidence }));
      for (const key of ['logLoss', 'brier'] as const) {
        expect(e[key]!.method).toBe('normal');
        expectClose(e[key]!.value!, o[key].value, RTOL);
        expectClose(e[key]!.ci!.low, Math.max(0, o[key].low), RTOL);
        expectClose(e[key]!.ci!.high, o[key].high, RTOL);
      }
    });
  }
});

describe('evaluateBinary F1 bootstrap on the confusion counts', () => {
  it('matches the stratified row bootstrap of F1', () => {
    // Property: resampling counts by binomials within class is the row bootstrap's distribution.
    // 2000 resamples each: the 2.5/97.5 % quantiles are known to ~4 % of the width; band ±15 %.
    const c = byName('3000 continuous');
    const e = ok(evaluateBinary({ yTrue: c.yTrue, scores: c.scores, bootstrapResamples: 2000, seed: 1 }));
    const yPred = c.scores.map((s: number) => (s >= 0.5 ? 1 : 0));
    const rows = bootstrapInterval(
      c.yTrue.length,
      (idx) => {
        let tp = 0;
        let predicted = 0;
        let positives = 0;
        for (const i of idx) {
          tp += c.yTrue[i] & yPred[i];
          predicted += yPred[i];
          positives += c.yTrue[i];
        }
        return (2 * tp) / (predicted + positives);
      },
      { resamples: 2000, seed: 2, strata: c.yTrue },
    );
    if ('status' in rows) throw new Error('unexpected insufficient data');
    expectClose(e.f1.value!, rows.estimate, RTOL);
    const width = rows.high - rows.low;
    expect(Math.abs(e.f1.ci!.low - rows.low)).toBeLessThan(0.15 * width);
    expect(Math.abs(e.f1.ci!.high - rows.high)).toBeLessThan(0.15 * width);
  });
});

describe('evaluateBinary AP bootstrap on sorted positions', () => {
  it('matches the stratified row bootstrap of AP (many distinct scores, m-out-of-n)', () => {
    // Property: resampling positions of the class-split sorted scores is the row bootstrap's
    // distribution. 3000 distinct scores > 4·300 selects the positions path; lossInterval
    // 'bootstrap' selects the row path. 1500 resamples each; band ±15 % of the width.
    const c = byName('3000 continuous');
    const run = (lossInterval: 'normal' | 'bootstrap') =>
      ok(
        evaluateBinary({
          yTrue: c.yTrue,
          scores: c.scores,
          bootstrapResamples: 1500,
          bootstrapSampleSize: 300,
          lossInterval,
        }),
      ).averagePrecision!;
    const positions = run('normal');
    const rows = run('bootstrap');
    expectClose(positions.value!, c.averagePrecisionSklearn, RTOL);
    const width = rows.ci!.high - rows.ci!.low;
    expect(Math.abs(positions.ci!.low - rows.ci!.low)).toBeLessThan(0.15 * width);
    expect(Math.abs(positions.ci!.high - rows.ci!.high)).toBeLessThan(0.15 * width);
  });
});

describe('evaluateBinary m-out-of-n bootstrap', () => {
  it('gives intervals about as wide as the full bootstrap for AP, log loss and Brier', () => {
    // 3000 rows: full resamples vs resamples of 750 scaled by √(750/3000); 400 resamples each,
    // so the widths are estimated to ~5 %; a ±30 % band tests the scaling, not the noise.
    const c = byName('3000 continuous');
    const run = (bootstrapSampleSize: number) =>
      ok(
        evaluateBinary({
          yTrue: c.yTrue,
          scores: c.scores,
          bootstrapResamples: 400,
          bootstrapSampleSize,
          lossInterval: 'bootstrap',
        }),
      );
    const full = run(3000);
    const sub = run(750);
    for (const key of ['averagePrecision', 'logLoss', 'brier'] as const) {
      const width = (e: BinaryEvaluation) => e[key]!.ci!.high - e[key]!.ci!.low;
      const ratio = width(sub) / width(full);
      expect(ratio, key).toBeGreaterThan(0.7);
      expect(ratio, key).toBeLessThan(1.3);
    }
  });
});

describe('evaluateBinary behaviour', () => {
  const c = byName('3000 rounded to 2 decimals');

  it('is reproducible from its seed', () => {
    const a = evaluateBinary({ yTrue: c.yTrue, scores: c.scores, seed: 3, bootstrapResamples: 50 });
    const b = evaluateBinary({ yTrue: c.yTrue, scores: c.scores, seed: 3, bootstrapResamples: 50 });
    const d = ok(evaluateBinary({ yTrue: c.yTrue, scores: c.scores, seed: 4, bootstrapResamples: 50 }));
    expect(b).toEqual(a);
    expect(d.f1.ci).not.toEqual(ok(a).f1.ci);
  });

  it('omits the score metrics without scores and uses yPred', () => {
    const e = ok(evaluateBinary({ yTrue: [0, 1, 1, 0], yPred: [0, 1, 0, 0] }));
    expect(e.rocAuc).toBeUndefined();
    expect(e.reliability).toBeUndefined();
    expect(e.confusion.matrix).toEqual([
      [2, 0],
      [1, 1],
    ]);
    expect(e.precision.value).toBe(1);
  });

  it('reports undefined metrics as null instead of failing', () => {
    const e = ok(evaluateBinary({ yTrue: [0, 0, 0], scores: [0.1, 0.2, 0.3] }));
    expect(e.rocAuc).toMatchObject({ value: null, ci: null });
    expect(e.averagePrecision).toMatchObject({ value: null, ci: null });
    expect(e.precision).toMatchObject({ value: null, ci: null, reason: 'no predicted positives' });
    expect(e.rocAuc!.reason).toBe('needs both classes');
    expect(e.recall.value).toBeNull();
    expect(e.specificity.value).toBe(1);
    expect(e.f1.value).toBeNull();
  });

  it('gives F1 = 0 (not undefined) when nothing is predicted positive, as scikit-learn', () => {
    const e = ok(evaluateBinary({ yTrue: [0, 1, 1, 0], yPred: [0, 0, 0, 0], bootstrapResamples: 20 }));
    expect(e.f1.value).toBe(0);
    expect(e.precision.value).toBeNull();
  });

  it('returns insufficient data for no rows and rejects bad input', () => {
    expect(evaluateBinary({ yTrue: [], scores: [] })).toEqual({ status: 'insufficient_data', n: 0 });
    expect(() => evaluateBinary({ yTrue: [0, 2], scores: [0.1, 0.2] })).toThrow(/yTrue\[1\]: 2/);
    expect(() => evaluateBinary({ yTrue: [0, 1], scores: [0.1, 1.2] })).toThrow(/scores\[1\]/);
    expect(() => evaluateBinary({ yTrue: [0, 1] })).toThrow(TypeError);
    expect(() => evaluateBinary({ yTrue: [0, 1], scores: [0.1, 0.2], threshold: Number.NaN })).toThrow(
      /threshold/,
    );
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../stats/random.js';
import { calibrate, calibrateAll, estimatePerformance, fitCalibrator } from './cbpe.js';

interface IsotonicCase {
  scores: number[];
  labels: number[];
  query: number[];
  predicted: number[];
  knots: number;
}
const fixture = JSON.parse(readFileSync('test/fixtures/metrics-cbpe.json', 'utf8')) as {
  cases: IsotonicCase[];
};

describe('fitCalibrator (isotonic) against sklearn IsotonicRegression(out_of_bounds="clip")', () => {
  // tolerance: 1e-12 absolute (block means of 0/1 labels, then one linear interpolation)
  it.each(fixture.cases.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const cal = fitCalibrator(c.scores, c.labels);
    expect(cal.x.length).toBe(c.knots);
    c.query.forEach((q, j) => {
      expect(calibrate(cal, q)).toBeCloseTo(c.predicted[j], 12);
    });
  });
  it('is monotone and within [0, 1]', () => {
    const c = fixture.cases[2];
    const cal = fitCalibrator(c.scores, c.labels);
    const grid = Array.from({ length: 101 }, (_, i) => i / 100);
    const p = calibrateAll(cal, grid);
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeGreaterThanOrEqual(p[i - 1]);
    expect(Math.min(...p)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...p)).toBeLessThanOrEqual(1);
  });
});

describe('fitCalibrator (histogram)', () => {
  it('gives the positive fraction of each bin and the overall rate to empty bins', () => {
    const cal = fitCalibrator([0.05, 0.06, 0.07, 0.95], [0, 0, 1, 1], { method: 'histogram', bins: 2 });
    expect(calibrate(cal, 0.1)).toBeCloseTo(1 / 3, 15);
    expect(calibrate(cal, 0.9)).toBe(1);
    const sparse = fitCalibrator([0.05, 0.95], [0, 1], { method: 'histogram', bins: 4 });
    expect(calibrate(sparse, 0.3)).toBe(0.5);
  });
  it('rejects bad input with a message naming it', () => {
    expect(() => fitCalibrator([0.1], [2])).toThrow(/labels\[0\]: 2/);
    expect(() => fitCalibrator([Number.NaN], [1])).toThrow(RangeError);
    expect(() => fitCalibrator([], [])).toThrow(/empty/);
    expect(() => fitCalibrator([0.1], [1], { method: 'histogram', bins: 0 })).toThrow(/bins: 0/);
  });
});

/** A model whose scores are miscalibrated in a known way: P(y = 1 | s) = s². */
function simulate(seed: number, n: number, shift: number) {
  const rng = createRng(seed);
  const scores = new Float64Array(n);
  const labels = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.min(1, Math.max(0, rng.next() ** (1 - shift)));
    scores[i] = s;
    labels[i] = rng.next() < s * s ? 1 : 0;
  }
  return { scores, labels };
}

function realised(scores: Float64Array, labels: Float64Array, threshold: number) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  scores.forEach((s, i) => {
    const pred = s >= threshold;
    if (pred) labels[i] ? tp++ : fp++;
    else labels[i] ? fn++ : tn++;
  });
  return {
    accuracy: (tp + tn) / scores.length,
    precision: tp / (tp + fp),
    recall: tp / (tp + fn),
    f1: (2 * tp) / (2 * tp + fp + fn),
  };
}

describe('estimatePerformance against simulated ground truth', () => {
  const ref = simulate(1, 20_000, 0);
  const calibrator = fitCalibrator(ref.scores, ref.labels);

  it.each(['analytic', 'simulation'] as const)(
    'covers the realised accuracy, precision, recall and F1 95 times in 100 under covariate shift (%s)',
    (interval) => {
      // 60 windows of 2 000 rows whose score distribution moves (shift 0 → 0.5); the calibration
      // P(y | s) is unchanged, which is CBPE's assumption. 95 % intervals: expect ≥ 85 % coverage.
      const trials = 60;
      const covered = { accuracy: 0, precision: 0, recall: 0, f1: 0 };
      for (let t = 0; t < trials; t++) {
        const w = simulate(100 + t, 2000, (0.5 * t) / trials);
        const est = estimatePerformance(w.scores, calibrateAll(calibrator, w.scores), {
          seed: t,
          simulations: 200,
          interval,
        });
        const truth = realised(w.scores, w.labels, 0.5);
        for (const k of Object.keys(covered) as (keyof typeof covered)[]) {
          const ci = est.metrics[k].ci!;
          if (truth[k] >= ci.low && truth[k] <= ci.high) covered[k]++;
        }
      }
      for (const k of Object.keys(covered) as (keyof typeof covered)[]) {
        expect(covered[k] / trials, k).toBeGreaterThanOrEqual(0.85);
      }
    },
  );

  it('tracks a real drop in accuracy that raw scores would hide', () => {
    // Shifted windows have more high scores, where the s² model is right more often.
    const base = simulate(7, 5000, 0);
    const shifted = simulate(8, 5000, 0.6);
    const a = estimatePerformance(base.scores, calibrateAll(calibrator, base.scores));
    const b = estimatePerformance(shifted.scores, calibrateAll(calibrator, shifted.scores));
    const ta = realised(base.scores, base.labels, 0.5).accuracy;
    const tb = realised(shifted.scores, shifted.labels, 0.5).accuracy;
    expect(Math.sign(b.metrics.accuracy.value! - a.metrics.accuracy.value!)).toBe(Math.sign(tb - ta));
    expect(Math.abs(a.metrics.accuracy.value! - ta)).toBeLessThan(0.03);
  });

  it('estimates ROC-AUC close to the realised AUC', () => {
    const w = simulate(9, 4000, 0.2);
    const est = estimatePerformance(w.scores, calibrateAll(calibrator, w.scores));
    let pos = 0;
    let concordant = 0;
    const idx = Array.from(w.scores.keys()).sort((i, j) => w.scores[i] - w.scores[j]);
    let negSeen = 0;
    for (const i of idx) {
      if (w.labels[i]) {
        concordant += negSeen;
        pos++;
      } else negSeen++;
    }
    const auc = concordant / (pos * (w.scores.length - pos));
    expect(Math.abs(est.metrics.rocAuc.value! - auc)).toBeLessThan(0.03);
    expect(est.metrics.rocAuc.ci!.low).toBeLessThan(est.metrics.rocAuc.value!);
  });

  it('gives analytic intervals close to the simulated ones', () => {
    const w = simulate(11, 3000, 0.3);
    const p = calibrateAll(calibrator, w.scores);
    const a = estimatePerformance(w.scores, p);
    const s = estimatePerformance(w.scores, p, { interval: 'simulation', simulations: 400 });
    for (const k of ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const) {
      const wa = a.metrics[k].ci!.high - a.metrics[k].ci!.low;
      const ws = s.metrics[k].ci!.high - s.metrics[k].ci!.low;
      // widths within 25 % (400 simulations estimate a percentile interval to a few per cent)
      expect(Math.abs(wa / ws - 1), k).toBeLessThan(0.25);
    }
  });

  it('computes the expected confusion exactly on a small case', () => {
    // scores 0.9, 0.8 predicted 1; 0.3, 0.1 predicted 0; probabilities as given
    const est = estimatePerformance([0.9, 0.8, 0.3, 0.1], [0.9, 0.6, 0.2, 0.1], {
      simulations: 0,
      interval: 'simulation',
    });
    // E[TP]=1.5, E[FP]=0.5, E[FN]=0.3, E[TN]=1.7
    expect(est.metrics.accuracy.value).toBeCloseTo(3.2 / 4, 15);
    expect(est.metrics.precision.value).toBeCloseTo(1.5 / 2, 15);
    expect(est.metrics.recall.value).toBeCloseTo(1.5 / 1.8, 15);
    expect(est.metrics.f1.value).toBeCloseTo(3 / (3 + 0.5 + 0.3), 15);
    expect(est.metrics.accuracy.ci).toBeNull();
    expect(est.expectedPositives).toBeCloseTo(1.8, 15);
  });

  it('is reproducible from its seed and rejects bad options', () => {
    const w = simulate(3, 500, 0);
    const p = calibrateAll(calibrator, w.scores);
    expect(estimatePerformance(w.scores, p, { seed: 5 })).toEqual(
      estimatePerformance(w.scores, p, { seed: 5 }),
    );
    expect(() => estimatePerformance([0.5], [0.5, 0.5])).toThrow(/length 2/);
    expect(() => estimatePerformance([0.5], [1.5])).toThrow(/probabilities\[0\]: 1.5/);
    expect(() => estimatePerformance([0.5], [0.5], { confidence: 1 })).toThrow(/confidence/);
  });
});

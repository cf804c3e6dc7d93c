import { describe, expect, it } from 'vitest';
import { ablateFeatures, confusionShares } from '../../src/rca/ablation.js';
import { alignChanges } from '../../src/rca/change-alignment.js';
import { decodeCategories, rankDriftImportance } from '../../src/rca/drift-importance.js';
import { createRng } from '../../src/stats/random.js';
import { FEATURES, scoreWindow, syntheticModel, syntheticWindow } from './synthetic.js';

describe('confusionShares', () => {
  it('counts the four cells at the threshold and skips unlabelled rows', () => {
    const c = confusionShares([0.9, 0.2, 0.6, 0.4, 0.7], [1, 1, 0, 0, Number.NaN], 0.5);
    expect(c).toMatchObject({
      n: 4,
      tp: 0.25,
      fn: 0.25,
      fp: 0.25,
      tn: 0.25,
      errorRate: 0.5,
      positiveRate: 0.5,
    });
  });
});

describe('ablateFeatures', () => {
  it('recovers the error when the rescaled feature is mapped back onto the baseline, not for an untouched one', () => {
    const { compiled } = syntheticModel();
    const base = scoreWindow(syntheticWindow(21, 3000));
    const cur = syntheticWindow(22, 3000);
    for (let r = 0; r < 3000; r++) cur.columns.distance[r] *= 1.8;
    const out = ablateFeatures(
      compiled,
      cur.columns,
      cur.labels,
      base.columns,
      base.labels,
      ['taxi_out', 'distance'],
      {
        seed: 1,
      },
    );
    expect(out.confusion.current.errorRate).toBeGreaterThan(out.confusion.baseline.errorRate + 0.03);
    expect(out.features[0].feature).toBe('distance');
    expect(out.features[0].recoveredShare).toBeGreaterThan(0.7);
    expect(Math.abs(out.features[1].recoveredShare ?? 1)).toBeLessThan(0.3);
    expect(() =>
      ablateFeatures(compiled, cur.columns, cur.labels, base.columns, base.labels, ['nope']),
    ).toThrow(/invalid feature: nope/);
  });
});

describe('alignChanges', () => {
  /** Two windows of 2 000 rows over 48 h; from hour 36, rows of host-2 have error rate `bad`. */
  function windows(bad: number, seed = 1) {
    const rng = createRng(seed);
    const make = (start: number) => {
      const n = 2000;
      const timeMs = Float64Array.from({ length: n }, (_, r) => start + (r / n) * 86_400_000);
      const host = Array.from({ length: n }, () => `host-${rng.int(4)}`);
      const metric = Float64Array.from({ length: n }, (_, r) => {
        const p = host[r] === 'host-2' && timeMs[r] >= 36 * 3_600_000 ? bad : 0.1;
        return rng.next() < p ? 1 : 0;
      });
      return { timeMs, metric, groups: { host } };
    };
    return { baseline: make(0), current: make(86_400_000) };
  }
  const cases = [
    { name: 'a host gone bad halfway through the current window', bad: 0.7, suspect: 'host-2' },
    { name: 'nothing changed', bad: 0.1, suspect: null },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const out = alignChanges(windows(tc.bad));
      const significant = out.suspects.filter((s) => s.test.pValue < 0.05 / out.suspects.length);
      if (tc.suspect === null) {
        expect(significant).toEqual([]);
        return;
      }
      expect(out.change?.changed).toBe(true);
      expect(Math.abs((out.change?.timeMs ?? 0) - 36 * 3_600_000)).toBeLessThanOrEqual(2 * 3_600_000);
      expect(significant.map((s) => s.value)).toEqual([tc.suspect]);
      expect(significant[0].explained).toBeGreaterThan(0.7);
      expect(significant[0].share.current).toBeCloseTo(0.25, 1);
    });
  }
});

describe('rankDriftImportance', () => {
  it('ranks the drifted important feature first and attaches quality issues', () => {
    const base = syntheticWindow(31, 3000);
    const cur = syntheticWindow(32, 3000);
    for (let r = 0; r < 3000; r++) {
      cur.columns.distance[r] *= 1.5;
      if (r % 5 === 0) cur.columns.taxi_out[r] = Number.NaN;
    }
    const importance = { distance: 1, dep_hour: 0.5, taxi_out: 0.3, origin: 0.2, carrier: 0.05 };
    const out = rankDriftImportance({
      features: FEATURES,
      current: cur.columns,
      baseline: base.columns,
      importance,
    });
    expect(out.features[0].feature).toBe('distance');
    expect(out.features[0].drift?.drifted).toBe(true);
    expect(out.features[0].relativeImportance).toBe(1);
    const taxi = out.features.find((f) => f.feature === 'taxi_out');
    expect(taxi?.quality.map((q) => q.check)).toContain('missing_rate');
    expect(out.features.find((f) => f.feature === 'carrier')?.drift?.drifted).toBe(false);
  });

  it('decodes category codes', () => {
    expect(decodeCategories([0, 1, Number.NaN, 7], ['a', 'b'])).toEqual(['a', 'b', null, '#7']);
  });
});

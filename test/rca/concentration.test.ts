import { describe, expect, it } from 'vitest';
import { findConcentratedShifts } from '../../src/rca/concentration.js';
import { runRca } from '../../src/rca/run-rca.js';
import { createRng } from '../../src/stats/random.js';
import { FEATURES, ORIGINS, scoreWindow, syntheticModel, syntheticWindow } from './synthetic.js';

const importance = { distance: 1, dep_hour: 0.6, taxi_out: 0.4, origin: 0.3, carrier: 0.1 };
const groups = (w: ReturnType<typeof syntheticWindow>) => ({ ...w.tags, version: w.versions });

describe('findConcentratedShifts', () => {
  it('names the tag value whose rows carry a feature shift, not the values whose rows do not', () => {
    const base = syntheticWindow(1, 4000);
    const cur = syntheticWindow(2, 4000);
    const rng = createRng(3);
    for (let r = 0; r < 4000; r++)
      if (rng.next() < 0.25) {
        cur.tags.pipeline[r] = 'v2';
        cur.columns.taxi_out[r] *= 2;
      }
    const out = findConcentratedShifts({
      features: FEATURES,
      current: { columns: cur.columns, groups: groups(cur) },
      baseline: { columns: base.columns, groups: groups(base) },
      importance,
    });
    expect(out[0]).toMatchObject({ key: 'pipeline', value: 'v2', feature: 'taxi_out', ownBaseline: false });
    expect(out[0].inside.ratio).toBeGreaterThan(1);
    expect(out[0].outside.ratio).toBeLessThan(1);
    expect(out[0].score).toBeGreaterThan(0.3);
    expect(out.some((s) => s.key === 'host')).toBe(false);
  });

  it('finds nothing when the whole traffic shifted (no outside kept its distribution) or nothing did', () => {
    const base = syntheticWindow(1, 3000);
    const same = syntheticWindow(2, 3000);
    const input = (cur: typeof base) => ({
      features: FEATURES,
      current: { columns: cur.columns, groups: groups(cur) },
      baseline: { columns: base.columns, groups: groups(base) },
      importance,
    });
    expect(findConcentratedShifts(input(same))).toEqual([]);
    const all = syntheticWindow(3, 3000);
    for (let r = 0; r < 3000; r++) all.columns.distance[r] *= 1.6;
    expect(findConcentratedShifts(input(all)).filter((s) => s.feature === 'distance')).toEqual([]);
  });
});

describe('runRca: concentrated shifts and the trigger feature', () => {
  it('a shift at one origin with no error rise is a feature hypothesis on that segment', () => {
    const base = scoreWindow(syntheticWindow(11, 5000));
    const cur = syntheticWindow(12, 5000);
    const atl = ORIGINS.indexOf('ATL');
    for (let r = 0; r < 5000; r++) if (cur.columns.origin[r] === atl) cur.columns.dep_hour[r] += 4;
    scoreWindow(cur);
    const out = runRca({
      model: syntheticModel(),
      current: cur,
      baseline: base,
      segments: ['origin'],
      trigger: { metric: 'drift.dep_hour', feature: 'dep_hour' },
      options: { resamples: 50, maxShapRows: 500 },
    });
    expect(out.hypotheses[0]).toMatchObject({
      kind: 'feature',
      subject: { feature: 'dep_hour', segment: { origin: 'ATL' } },
    });
    expect(out.hypotheses[0].evidence[0].text).toMatch(/dep_hour shifted inside origin=ATL/);
  });
});

describe('runRca without labels', () => {
  it('a baseline with no label yet gives a report (no error-based verdict), not an exception', () => {
    const base = scoreWindow(syntheticWindow(21, 1500));
    base.labels = new Float64Array(1500).fill(Number.NaN);
    const cur = scoreWindow(syntheticWindow(22, 1500));
    const out = runRca({
      model: syntheticModel(),
      current: cur,
      baseline: base,
      trigger: { metric: 'error_rate' },
      options: { resamples: 20, maxShapRows: 300 },
    });
    expect(out.baseline.labelled).toBe(0);
    expect(out.hypotheses.every((h) => Number.isFinite(h.score))).toBe(true);
  });
});

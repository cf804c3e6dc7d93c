import { describe, expect, it } from 'vitest';
import { syntheticModel } from '../../test/support/synthetic-model.js';
import { createRng } from '../stats/random.js';
import type { EventColumns, Model } from '../store/store.js';
import { cohortDriftPoints, versionLatencyPoints } from './cohort-drift.js';

const model: Model = syntheticModel({
  id: 'm',
  features: [
    { name: 'x', type: 'numeric' },
    { name: 'c', type: 'categorical' },
  ],
  segments: ['c', 'tags.pipeline'],
});

/** n rows; rows with pipeline v2 (share `v2`) get x × `scale`. */
function columns(n: number, v2: number, scale: number, seed: number): EventColumns {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  const cat = new Int32Array(n);
  const tag = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    tag[i] = rng.next() < v2 ? 1 : 0;
    x[i] = (100 + 30 * rng.normal()) * (tag[i] === 1 ? scale : 1);
    cat[i] = rng.int(3);
  }
  const zeros = new Float64Array(n);
  return {
    n,
    timeMs: zeros,
    score: zeros,
    latencyMs: zeros,
    weight: zeros,
    predicted: new Int8Array(n),
    label: new Int8Array(n).fill(-1),
    labelDelayMs: zeros,
    labelReceivedMs: zeros,
    version: { kind: 'dictionary', codes: new Int32Array(n), dictionary: ['v1'] },
    features: {
      x: { kind: 'numeric', values: x },
      c: { kind: 'dictionary', codes: cat, dictionary: ['a', 'b', 'c'] },
    },
    tags: { pipeline: { kind: 'dictionary', codes: tag, dictionary: ['v1', 'v2'] } },
  };
}

const run = (c: EventColumns, options?: Parameters<typeof cohortDriftPoints>[0]['options']) =>
  cohortDriftPoints({
    model,
    columns: c,
    begin: 0,
    end: c.n,
    window: { size: 'hour', startMs: 0 },
    segments: model.schema.segments,
    options,
  });

describe('cohortDriftPoints', () => {
  it('flags the scaled feature of the minority tag value, not the untouched one', () => {
    const points = run(columns(600, 0.3, 1.609, 1));
    const x = points.find((p) => p.metric === 'cohort_drift.x');
    const c = points.find((p) => p.metric === 'cohort_drift.c');
    expect(x).toMatchObject({ segment: 'tags.pipeline=v2', version: '*', status: 'ok', significant: true });
    expect(x?.value).toBeGreaterThan(0.1);
    expect(c).toMatchObject({ status: 'ok', significant: false });
    // only the minority value is compared (the majority is the control)
    expect(points.every((p) => p.segment === 'tags.pipeline=v2')).toBe(true);
  });

  it('stays quiet when the cohorts are the same traffic (20 seeds; before debiasing, seed 15 flagged c)', () => {
    let flagged = 0;
    for (let seed = 0; seed < 20; seed++)
      flagged += run(columns(600, 0.3, 1, seed)).filter((p) => p.significant).length;
    expect(flagged).toBe(0);
  });

  it('compares nothing with one tag value, and gives insufficient_data below minCohort', () => {
    expect(run(columns(400, 0, 1.609, 2))).toEqual([]);
    const small = run(columns(120, 0.3, 1.609, 3)); // v2 has ~36 rows < 50
    expect(small.map((p) => [p.metric, p.status])).toEqual([
      ['cohort_drift.x', 'insufficient_data'],
      ['cohort_drift.c', 'insufficient_data'],
    ]);
    const c = columns(200, 0.3, 1.609, 4);
    const out = run(c, { minCohort: 10 });
    expect(out.find((p) => p.metric === 'cohort_drift.x')?.status).toBe('ok');
  });
});

describe('versionLatencyPoints', () => {
  /** n rows, a share `canary` on version v2 whose latency gets + `addMs`. */
  function latencies(n: number, canary: number, addMs: number, seed: number): EventColumns {
    const c = columns(n, 0, 1, seed);
    const rng = createRng(seed + 100);
    const codes = new Int32Array(n);
    const latency = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      codes[i] = rng.next() < canary ? 1 : 0;
      latency[i] = 8 * Math.exp(0.35 * rng.normal()) + (codes[i] === 1 ? addMs : 0);
    }
    return { ...c, latencyMs: latency, version: { kind: 'dictionary', codes, dictionary: ['v1', 'v2'] } };
  }
  const run = (c: EventColumns) =>
    versionLatencyPoints({
      model: 'm',
      columns: c,
      begin: 0,
      end: c.n,
      window: { size: 'hour', startMs: 0 },
    });

  it('gives the minority version its latency ratio over the others', () => {
    const ps = run(latencies(500, 0.4, 80, 1));
    expect(ps.map((p) => [p.metric, p.version, p.status])).toEqual([
      ['cohort_latency_p50', 'v2', 'ok'],
      ['cohort_latency_p99', 'v2', 'ok'],
    ]);
    expect(ps[0].value as number).toBeGreaterThan(5); // (8 + 80) / 8
  });

  it('stays near 1 on equal versions, and gives nothing with one version', () => {
    for (let seed = 0; seed < 10; seed++)
      for (const p of run(latencies(500, 0.3, 0, seed))) expect(p.value as number).toBeLessThan(1.5);
    expect(run(latencies(300, 0, 80, 2))).toEqual([]);
    const small = run(latencies(100, 0.2, 80, 3)); // ~20 canary rows
    expect(small.every((p) => p.status === 'insufficient_data')).toBe(true);
  });
});

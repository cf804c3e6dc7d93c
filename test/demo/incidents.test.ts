import { describe, expect, it } from 'vitest';
import { applyIncidents, hashUniform, type ReplayEvents } from '../../src/demo/incidents.js';
import type { Incident } from '../../src/demo/scenario.js';

const day = (d: number, h = 12) => Date.UTC(2001, 2, d, h);
const baseTags = { pipeline: 'v1' };

/** Six events: 10–12 March, two per day, ORD and ATL. */
function events(): ReplayEvents {
  return {
    n: 6,
    time: Float64Array.from([day(10), day(10, 18), day(11), day(11, 18), day(12), day(12, 18)]),
    numeric: { distance: Float64Array.from([100, 200, 300, Number.NaN, 500, 600]) },
    categorical: { origin: ['ORD', 'ATL', 'ORD', 'ATL', 'ORD', null] },
    label: Uint8Array.from([0, 1, 0, 1, 0, 0]),
    latencyMs: Float64Array.from([8, 8, 8, 8, 8, 8]),
    stages: { features: Float64Array.from([4, 4, 4, 4, 4, 4]), model: Float64Array.from([2, 2, 2, 2, 2, 2]) },
    version: Array(6).fill('v1'),
    tags: Array(6).fill(baseTags),
  };
}

const on = { from: '2001-03-11', to: '2001-03-12', fraction: 1 };

describe('applyIncidents', () => {
  it.each<[string, Incident, (e: ReplayEvents) => unknown, unknown, number]>([
    [
      'scale multiplies within the days, NaN stays NaN',
      { ...on, kind: 'scale', feature: 'distance', factor: 2 },
      (e) => [...e.numeric.distance],
      [100, 200, 600, Number.NaN, 1000, 1200],
      4,
    ],
    [
      'shift adds',
      { ...on, kind: 'shift', feature: 'distance', by: -50 },
      (e) => [...e.numeric.distance],
      [100, 200, 250, Number.NaN, 450, 550],
      4,
    ],
    [
      'nulls on a numeric gives NaN',
      { ...on, kind: 'nulls', feature: 'distance' },
      (e) => [...e.numeric.distance],
      [100, 200, Number.NaN, Number.NaN, Number.NaN, Number.NaN],
      4,
    ],
    [
      'nulls on a categorical gives null',
      { ...on, kind: 'nulls', feature: 'origin' },
      (e) => e.categorical.origin,
      ['ORD', 'ATL', null, null, null, null],
      4,
    ],
    [
      'category-remap maps listed values only',
      { ...on, kind: 'category-remap', feature: 'origin', mapping: { ORD: 'ord' } },
      (e) => e.categorical.origin,
      ['ORD', 'ATL', 'ord', 'ATL', 'ord', null],
      4,
    ],
    [
      'where filters by feature',
      { ...on, kind: 'scale', feature: 'distance', factor: 10, where: { origin: 'ATL' } },
      (e) => [...e.numeric.distance],
      [100, 200, 300, Number.NaN, 500, 600],
      1,
    ],
    [
      'label-flip flips only fromLabel',
      { ...on, kind: 'label-flip', fromLabel: 0, toLabel: 1 },
      (e) => [...e.label],
      [0, 1, 1, 1, 1, 1],
      4,
    ],
    [
      'label-flip with where',
      { ...on, kind: 'label-flip', fromLabel: 0, toLabel: 1, where: { origin: 'ORD' } },
      (e) => [...e.label],
      [0, 1, 1, 1, 1, 0],
      2,
    ],
    [
      'latency adds to total and model stage',
      { ...on, kind: 'latency', addMs: 60, factor: 1 },
      (e) => [[...e.latencyMs], [...e.stages.model], [...e.stages.features]],
      [
        [8, 8, 68, 68, 68, 68],
        [2, 2, 62, 62, 62, 62],
        [4, 4, 4, 4, 4, 4],
      ],
      4,
    ],
    [
      'latency factor scales every stage',
      { ...on, kind: 'latency', addMs: 0, factor: 3 },
      (e) => [[...e.latencyMs], [...e.stages.features]],
      [
        [8, 8, 24, 24, 24, 24],
        [4, 4, 12, 12, 12, 12],
      ],
      4,
    ],
    [
      'version and tags are stamped on affected events',
      { ...on, kind: 'nulls', feature: 'origin', version: 'v2', tags: { pipeline: 'v2', region: 'eu' } },
      (e) => [e.version, e.tags.map((t) => `${t.pipeline}/${t.region}`)],
      [
        ['v1', 'v1', 'v2', 'v2', 'v2', 'v2'],
        ['v1/undefined', 'v1/undefined', 'v2/eu', 'v2/eu', 'v2/eu', 'v2/eu'],
      ],
      4,
    ],
    [
      'a one-day range covers that whole day only',
      { ...on, to: '2001-03-11', kind: 'shift', feature: 'distance', by: 1 },
      (e) => [...e.numeric.distance],
      [100, 200, 301, Number.NaN, 500, 600],
      2,
    ],
  ])('%s', (_name, incident, read, expected, count) => {
    const e = events();
    expect(applyIncidents(e, [incident])).toEqual([count]);
    expect(read(e)).toEqual(expected);
    expect(baseTags).toEqual({ pipeline: 'v1' });
  });

  it('later incidents see earlier ones (where on a stamped tag)', () => {
    const e = events();
    const counts = applyIncidents(e, [
      { ...on, to: '2001-03-11', kind: 'nulls', feature: 'origin', tags: { pipeline: 'v2' } },
      { ...on, kind: 'scale', feature: 'distance', factor: 2, where: { 'tags.pipeline': 'v2' } },
    ]);
    expect(counts).toEqual([2, 2]);
    expect([...e.numeric.distance]).toEqual([100, 200, 600, Number.NaN, 500, 600]);
  });

  it('marks affected events', () => {
    const e = events();
    const mark = new Uint8Array(6);
    applyIncidents(e, [{ ...on, kind: 'label-flip', fromLabel: 1, toLabel: 0 }], { mark });
    expect([...mark]).toEqual([0, 0, 1, 1, 1, 1]);
  });

  it('a fraction affects about that share, seeded and independent of batching', () => {
    const n = 20_000;
    const make = (): ReplayEvents => ({
      n,
      time: new Float64Array(n).fill(day(11)),
      numeric: { distance: new Float64Array(n).fill(1) },
      categorical: {},
      label: new Uint8Array(n),
      latencyMs: new Float64Array(n),
      stages: {},
      version: Array(n).fill('v1'),
      tags: Array(n).fill(baseTags),
    });
    const incident: Incident = { ...on, fraction: 0.3, kind: 'scale', feature: 'distance', factor: 2 };
    const whole = make();
    const [count] = applyIncidents(whole, [incident], { seed: 5 });
    // binomial(20000, 0.3): sd ≈ 65, so ± 400 is > 6 sd
    expect(Math.abs(count - 0.3 * n)).toBeLessThan(400);
    const again = make();
    applyIncidents(again, [incident], { seed: 5 });
    expect(again.numeric.distance).toEqual(whole.numeric.distance);
    const other = make();
    applyIncidents(other, [incident], { seed: 6 });
    expect(other.numeric.distance).not.toEqual(whole.numeric.distance);
    // two batches with offsets draw exactly like the whole
    const first = make();
    const second = make();
    applyIncidents({ ...first, n: 7000 }, [incident], { seed: 5 });
    const tail: ReplayEvents = {
      ...second,
      n: n - 7000,
      time: second.time.subarray(7000),
      numeric: { distance: second.numeric.distance.subarray(7000) },
      version: second.version.slice(7000),
      tags: second.tags.slice(7000),
    };
    applyIncidents(tail, [incident], { seed: 5, offset: 7000 });
    expect([...first.numeric.distance.subarray(0, 7000), ...second.numeric.distance.subarray(7000)]).toEqual([
      ...whole.numeric.distance,
    ]);
  });

  it('hashUniform is in [0, 1) and roughly uniform', () => {
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = hashUniform(1, 0, i);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
    }
    expect(Math.abs(sum / 10_000 - 0.5)).toBeLessThan(0.02);
  });
});

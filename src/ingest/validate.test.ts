import { describe, expect, it } from 'vitest';
import { contractModel as model } from '../store/store.contract.js';
import { parseTimestamp, validateLabels, validatePredictions } from './validate.js';

const good = {
  eventId: 'a1',
  timestamp: '2001-01-05T10:00:00Z',
  version: 'v1',
  features: { distance: 120, carrier: 'AA', weekend: false },
  prediction: '1',
  score: 0.7,
  latencyMs: 3.5,
  stages: { features: 1, model: 2.5 },
  tags: { region: 'us-east' },
};

describe('parseTimestamp', () => {
  it.each([
    ['2001-01-05T10:00:00Z', Date.UTC(2001, 0, 5, 10)],
    ['2001-01-05T10:00:00.250+01:00', Date.UTC(2001, 0, 5, 9, 0, 0, 250)],
    [978_688_800_000, 978_688_800_000],
    ['2001-01-05', undefined], // no time and no zone: ambiguous
    ['yesterday', undefined],
    ['2001-13-45T99:00:00Z', undefined],
    [Number.NaN, undefined],
    [-1, undefined],
    [1e16, undefined], // microseconds sent as milliseconds
    [null, undefined],
  ])('%s → %s', (input, expected) => {
    expect(parseTimestamp(input)).toBe(expected);
  });
});

describe('validatePredictions', () => {
  it('parses a valid event; missing features become null; class maps give the positive score', () => {
    const { stages: _s, tags: _t, ...bare } = good;
    const v = validatePredictions(model, [
      good,
      { ...bare, eventId: 'a2', features: { distance: 5 }, score: { '0': 0.25, '1': 0.75 }, prediction: 1 },
    ]);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.records[0]).toEqual({
      eventId: 'a1',
      timeMs: Date.UTC(2001, 0, 5, 10),
      version: 'v1',
      features: good.features,
      prediction: '1',
      score: 0.7,
      scores: null,
      latencyMs: 3.5,
      stages: good.stages,
      tags: good.tags,
    });
    expect(v.records[1]).toMatchObject({
      features: { distance: 5, carrier: null, weekend: null },
      score: 0.75,
      scores: { '0': 0.25, '1': 0.75 },
      prediction: '1',
      tags: {},
      stages: null,
    });
  });

  it.each([
    [
      'unknown feature',
      { features: { distance: 1, colour: 'red' } },
      'features.colour',
      /unknown feature colour/,
    ],
    ['wrong type (numeric)', { features: { distance: '12' } }, 'features.distance', /finite number/],
    ['wrong type (categorical)', { features: { carrier: 3 } }, 'features.carrier', /string or null/],
    ['wrong type (boolean)', { features: { weekend: 'yes' } }, 'features.weekend', /true, false or null/],
    ['score above 1', { score: 1.5 }, 'score', /\[0, 1\]/],
    ['negative score', { score: -0.1 }, 'score', /\[0, 1\]/],
    ['map not summing to 1', { score: { '0': 0.5, '1': 0.6 } }, 'score', /sum to 1/],
    ['map with unknown class', { score: { '1': 0.5, maybe: 0.5 } }, 'score.maybe', /class/],
    ['unparseable timestamp', { timestamp: '5 Jan 2001' }, 'timestamp', /ISO 8601/],
    ['unknown prediction class', { prediction: 'yes' }, 'prediction', /one of the classes/],
    ['negative latency', { latencyMs: -1 }, 'latencyMs', /≥ 0/],
    ['empty event id', { eventId: '' }, 'eventId', /non-empty/],
    ['non-string tag', { tags: { region: 1 } }, 'tags.region', /string/],
    ['unknown field', { colour: 'red' }, 'colour', /no such field/],
  ])('%s', (_name, patch, field, expected) => {
    const v = validatePredictions(model, [good, { ...good, ...patch }]);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues).toHaveLength(1);
    expect(v.issues[0]).toMatchObject({ index: 1, field });
    expect(v.issues[0].expected).toMatch(expected);
  });

  it('lists every problem of every event, and reports non-objects and empty batches', () => {
    const v = validatePredictions(model, [{ ...good, score: 2, latencyMs: 'fast' }, 42, good]);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues.map((i) => [i.index, i.field])).toEqual([
      [0, 'score'],
      [0, 'latencyMs'],
      [1, ''],
    ]);
    const empty = validatePredictions(model, []);
    expect(empty.ok).toBe(false);
  });

  it('caps the issue list for huge bad batches', () => {
    const v = validatePredictions(
      model,
      Array.from({ length: 3000 }, () => ({ ...good, score: 9 })),
    );
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues).toHaveLength(1001);
    expect(v.issues[1000]).toMatchObject({ field: 'batch', value: 2000 });
  });
});

describe('validateLabels', () => {
  it('accepts classes given as strings or numbers and rejects the rest field by field', () => {
    const ok = validateLabels(model, [{ eventId: 'a', label: 1, timestamp: 978_688_800_000 }]);
    expect(ok).toEqual({ ok: true, records: [{ eventId: 'a', label: '1', timeMs: 978_688_800_000 }] });
    const bad = validateLabels(model, [{ eventId: 'a', label: 'late', timestamp: 'x', extra: 1 }]);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues.map((i) => i.field)).toEqual(['extra', 'label', 'timestamp']);
  });
});

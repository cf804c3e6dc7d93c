import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flightsScenarioContext } from '../../src/demo/run-demo.js';
import { dayRangeMs, dayStartMs, parseScenario, validateScenario } from '../../src/demo/scenario.js';

const base = () => ({
  seed: 7,
  train: { from: '2001-01-01', to: '2001-01-21' },
  reference: { from: '2001-01-22', to: '2001-01-31' },
  replay: { from: '2001-02-01', to: '2001-06-30', source: 'flights' },
  labelDelayHours: 24,
  incidents: [] as unknown[],
});

const withIncident = (incident: Record<string, unknown>) => ({
  ...base(),
  incidents: [{ from: '2001-03-10', to: '2001-03-20', ...incident }],
});

function fields(raw: unknown): string[] {
  const r = validateScenario(raw, flightsScenarioContext);
  return r.ok ? [] : r.issues.map((i) => i.field);
}

describe('scenario files', () => {
  it.each(['default.json', 'stationary.json', 'west-coast.json'])('the shipped %s is valid', (file) => {
    const raw = JSON.parse(readFileSync(new URL(`../../scenarios/${file}`, import.meta.url), 'utf8'));
    expect(validateScenario(raw, flightsScenarioContext)).toMatchObject({ ok: true });
  });

  it('fills defaults (seed, labelDelayHours, fraction, source)', () => {
    const s = parseScenario(
      {
        train: base().train,
        reference: base().reference,
        replay: { from: '2001-02-01', to: '2001-02-03' },
        incidents: [{ kind: 'nulls', feature: 'origin', from: '2001-02-02', to: '2001-02-02' }],
      },
      flightsScenarioContext,
    );
    expect(s.seed).toBe(7);
    expect(s.labelDelayHours).toBe(24);
    expect(s.replay.source).toBe('flights');
    expect(s.incidents[0]).toEqual({
      kind: 'nulls',
      feature: 'origin',
      from: '2001-02-02',
      to: '2001-02-02',
      fraction: 1,
    });
  });

  it('day ranges include both days', () => {
    expect(dayRangeMs({ from: '2001-03-10', to: '2001-03-10' })).toEqual({
      fromMs: Date.UTC(2001, 2, 10),
      toMs: Date.UTC(2001, 2, 11),
    });
    expect(dayStartMs('2001-02-30')).toBeUndefined();
  });

  // every error case names its field
  it.each([
    ['not an object', [], ['scenario']],
    ['unknown top-level field', { ...base(), extra: 1 }, ['extra']],
    ['seed not an integer', { ...base(), seed: 1.5 }, ['seed']],
    ['train missing', { ...base(), train: undefined }, ['train']],
    ['bad date', { ...base(), train: { from: '2001-1-1', to: '2001-01-21' } }, ['train.from']],
    ['impossible date', { ...base(), train: { from: '2001-02-30', to: '2001-03-01' } }, ['train.from']],
    ['to before from', { ...base(), train: { from: '2001-01-21', to: '2001-01-01' } }, ['train.to']],
    [
      'train outside the data',
      { ...base(), train: { from: '2000-12-01', to: '2001-01-21' } },
      ['train.from'],
    ],
    [
      'reference overlaps train',
      { ...base(), reference: { from: '2001-01-20', to: '2001-01-31' } },
      ['reference.from'],
    ],
    [
      'replay before reference',
      { ...base(), replay: { from: '2001-01-30', to: '2001-02-10' } },
      ['replay.from'],
    ],
    [
      'flights replay past the data',
      { ...base(), replay: { from: '2001-02-01', to: '2001-07-10' } },
      ['replay.to'],
    ],
    [
      'bad source',
      { ...base(), replay: { from: '2001-02-01', to: '2001-02-10', source: 'csv' } },
      ['replay.source'],
    ],
    ['negative label delay', { ...base(), labelDelayHours: -1 }, ['labelDelayHours']],
    ['incidents not an array', { ...base(), incidents: {} }, ['incidents']],
    ['unknown kind', withIncident({ kind: 'explode' }), ['incidents[0].kind']],
    [
      'unknown feature',
      withIncident({ kind: 'scale', feature: 'speed', factor: 2 }),
      ['incidents[0].feature'],
    ],
    [
      'scale on a categorical',
      withIncident({ kind: 'scale', feature: 'origin', factor: 2 }),
      ['incidents[0].feature'],
    ],
    ['missing factor', withIncident({ kind: 'scale', feature: 'distance' }), ['incidents[0].factor']],
    [
      'shift without by',
      withIncident({ kind: 'shift', feature: 'distance', factor: 2 }),
      ['incidents[0].factor', 'incidents[0].by'],
    ],
    [
      'fraction out of range',
      withIncident({ kind: 'nulls', feature: 'origin', fraction: 1.5 }),
      ['incidents[0].fraction'],
    ],
    [
      'fraction zero',
      withIncident({ kind: 'nulls', feature: 'origin', fraction: 0 }),
      ['incidents[0].fraction'],
    ],
    [
      'incident outside the replay',
      { ...base(), incidents: [{ kind: 'nulls', feature: 'origin', from: '2001-01-25', to: '2001-02-02' }] },
      ['incidents[0].from'],
    ],
    [
      'incident without dates',
      { ...base(), incidents: [{ kind: 'nulls', feature: 'origin' }] },
      ['incidents[0].from', 'incidents[0].to'],
    ],
    [
      'where on an unknown column',
      withIncident({ kind: 'nulls', feature: 'origin', where: { airline: 'AA' } }),
      ['incidents[0].where.airline'],
    ],
    [
      'where value an object',
      withIncident({ kind: 'nulls', feature: 'origin', where: { origin: { $ne: 1 } } }),
      ['incidents[0].where.origin'],
    ],
    [
      'tags not strings',
      withIncident({ kind: 'nulls', feature: 'origin', tags: { pipeline: 2 } }),
      ['incidents[0].tags.pipeline'],
    ],
    [
      'empty version',
      withIncident({ kind: 'nulls', feature: 'origin', version: '' }),
      ['incidents[0].version'],
    ],
    [
      'remap on a numeric',
      withIncident({ kind: 'category-remap', feature: 'distance', mapping: { a: 'b' } }),
      ['incidents[0].feature'],
    ],
    [
      'remap without mapping',
      withIncident({ kind: 'category-remap', feature: 'origin' }),
      ['incidents[0].mapping'],
    ],
    [
      'remap to a number',
      withIncident({ kind: 'category-remap', feature: 'origin', mapping: { ORD: 1 } }),
      ['incidents[0].mapping.ORD'],
    ],
    [
      'label-flip to the same label',
      withIncident({ kind: 'label-flip', fromLabel: 1, toLabel: 1 }),
      ['incidents[0].toLabel'],
    ],
    [
      'label-flip with a bad label',
      withIncident({ kind: 'label-flip', fromLabel: 2, toLabel: 1 }),
      ['incidents[0].fromLabel'],
    ],
    ['latency without a change', withIncident({ kind: 'latency' }), ['incidents[0].addMs']],
    ['latency with negative addMs', withIncident({ kind: 'latency', addMs: -5 }), ['incidents[0].addMs']],
    [
      'field of another kind',
      withIncident({ kind: 'latency', addMs: 5, feature: 'distance' }),
      ['incidents[0].feature'],
    ],
  ])('%s', (_name, raw, expected) => {
    expect(fields(raw)).toEqual(expected);
  });

  it('lists every problem, and parseScenario throws PLB_ERR_INVALID_INPUT naming the first field', () => {
    const raw = { ...base(), seed: -1, labelDelayHours: 'a day' };
    expect(fields(raw)).toEqual(['seed', 'labelDelayHours']);
    expect(() => parseScenario(raw, flightsScenarioContext, 'scenario x.json')).toThrow(
      /scenario x\.json: 2 problem\(s\), first at seed/,
    );
    try {
      parseScenario(raw, flightsScenarioContext);
    } catch (err) {
      expect((err as { code: string }).code).toBe('PLB_ERR_INVALID_INPUT');
    }
  });

  it('a reference replay may run past the data', () => {
    const raw = { ...base(), replay: { from: '2001-07-01', to: '2001-09-01', source: 'reference' } };
    expect(fields(raw)).toEqual([]);
  });
});

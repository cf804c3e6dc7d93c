import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../store/store.js';
import { parseSmooth, smoothSeries } from './smooth.js';

const point = (value: number | null, i: number, status: MetricPoint['status'] = 'ok'): MetricPoint => ({
  model: 'm',
  version: '*',
  window: { size: 'day', startMs: i * 86_400_000 },
  segment: 'all',
  metric: 'accuracy',
  value,
  ciLow: value,
  ciHigh: value,
  n: 100,
  status,
  estimated: false,
});

describe('smoothSeries', () => {
  // expected values as pandas: Series.ewm(alpha, adjust=False).mean() and rolling(k, min_periods=1).mean()
  it.each([
    ['ewma 0.5', { kind: 'ewma', alpha: 0.5 } as const, [1, 2, 3, 4], [1, 1.5, 2.25, 3.125]],
    ['ewma 1 is the identity', { kind: 'ewma', alpha: 1 } as const, [3, 1, 2], [3, 1, 2]],
    ['ewma 0.3', { kind: 'ewma', alpha: 0.3 } as const, [10, 0, 10], [10, 7, 7.9]],
    ['rolling 2', { kind: 'rolling', k: 2 } as const, [1, 2, 3, 4], [1, 1.5, 2.5, 3.5]],
    ['rolling 3', { kind: 'rolling', k: 3 } as const, [3, 6, 9, 0], [3, 4.5, 6, 5]],
    ['rolling 1 is the identity', { kind: 'rolling', k: 1 } as const, [5, 7], [5, 7]],
    ['empty', { kind: 'rolling', k: 3 } as const, [], []],
  ])('%s', (_name, spec, values, expected) => {
    const out = smoothSeries(
      values.map((v, i) => point(v, i)),
      spec,
    );
    expect(out.map((p) => p.value)).toEqual(expected.map((v) => expect.closeTo(v, 12)));
    expect(out.map((p) => p.raw)).toEqual(values);
  });
  it('passes points without a value through and leaves them out of the average', () => {
    const pts = [point(1, 0), point(null, 1, 'insufficient_data'), point(3, 2)];
    const out = smoothSeries(pts, { kind: 'ewma', alpha: 0.5 });
    expect(out.map((p) => p.value)).toEqual([1, null, 2]);
    expect(out[1].status).toBe('insufficient_data');
    expect(out[0].ciLow).toBeNull();
  });
  it('rejects bad specs with a message naming the value', () => {
    expect(() => smoothSeries([], { kind: 'ewma', alpha: 0 })).toThrow(/alpha: 0/);
    expect(() => smoothSeries([], { kind: 'rolling', k: 1.5 })).toThrow(/k: 1.5/);
  });
});

describe('parseSmooth', () => {
  it.each([
    ['ewma:0.3', { kind: 'ewma', alpha: 0.3 }],
    ['rolling:7', { kind: 'rolling', k: 7 }],
  ])('parses %s', (text, spec) => {
    expect(parseSmooth(text)).toEqual(spec);
  });
  it.each(['ewma', 'ewma:1.5', 'rolling:0', 'median:3', 'rolling:2.5'])('rejects %s', (text) => {
    expect(() => parseSmooth(text)).toThrow(RangeError);
  });
});

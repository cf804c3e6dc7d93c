/** The timeline's pure parts: traffic shares per day and the days a value starts or stops taking traffic. */
import { describe, expect, it } from 'vitest';
import { rcaRequestOf, rcaRunLink } from '../../web/src/rca-link.js';
import { type DayCount, laneEvents, sharesOf } from '../../web/src/timeline-data.js';

const DAY = 86_400_000;
const day = (d: number, value: number): DayCount => ({ window: { startMs: d * DAY }, value });

describe('sharesOf', () => {
  it('divides each value by the day total across values', () => {
    const lane = sharesOf(
      'version',
      new Map([
        ['v1', [day(0, 100), day(1, 75)]],
        ['v2', [day(1, 25)]],
      ]),
    );
    expect(lane.values.map((v) => [v.value, [...v.share.entries()]])).toEqual([
      [
        'v1',
        [
          [0, 1],
          [DAY, 0.75],
        ],
      ],
      ['v2', [[DAY, 0.25]]],
    ]);
  });
});

describe('laneEvents', () => {
  const days = [0, 1, 2, 3, 4, 5].map((d) => d * DAY);
  it('marks a deploy and a rollback, not the values present from the first day', () => {
    const lane = sharesOf(
      'version',
      new Map([
        ['v1', [day(0, 10), day(1, 10), day(2, 0), day(3, 10), day(4, 10)]],
        ['v2', [day(2, 10)]],
      ]),
    );
    expect(laneEvents(lane, days)).toEqual([
      { key: 'version', value: 'v1', atMs: 2 * DAY, kind: 'disappears' },
      { key: 'version', value: 'v2', atMs: 2 * DAY, kind: 'appears' },
      { key: 'version', value: 'v1', atMs: 3 * DAY, kind: 'appears' },
      { key: 'version', value: 'v2', atMs: 3 * DAY, kind: 'disappears' },
    ]);
  });

  it('ignores days without traffic (a range ending after the data is no stop)', () => {
    const lane = sharesOf(
      'region',
      new Map([
        ['eu', [day(0, 5), day(1, 5)]],
        ['us', [day(0, 5), day(1, 5)]],
      ]),
    );
    expect(laneEvents(lane, days)).toEqual([]);
  });

  it('counts a value only from minShare on', () => {
    const lane = sharesOf(
      'pipeline',
      new Map([
        ['v1', [day(0, 999), day(1, 990)]],
        ['v2', [day(0, 1), day(1, 10)]],
      ]),
    );
    expect(laneEvents(lane, days, 0.005)).toEqual([
      { key: 'pipeline', value: 'v2', atMs: DAY, kind: 'appears' },
    ]);
  });
});

describe('RCA run links', () => {
  it('carry the request through the URL', () => {
    const r = {
      from: 10 * DAY,
      to: 11 * DAY,
      metric: 'latency_p99',
      segment: { pipeline: 'v2' },
      alertId: 'a1',
    };
    const link = rcaRunLink('m', r);
    expect(link.startsWith('#/models/m/rca/run?')).toBe(true);
    expect(rcaRequestOf(new URLSearchParams(link.split('?')[1]))).toEqual(r);
  });

  it('refuse a missing or inverted span', () => {
    expect(rcaRequestOf(new URLSearchParams('from=2001-01-02&to=2001-01-01'))).toBeNull();
    expect(rcaRequestOf(new URLSearchParams('to=2001-01-01'))).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { resampleReferenceDays, rowsOfDays } from '../../src/demo/events.js';

const H = 3_600_000;
const D = 24 * H;
const jan = (d: number) => Date.UTC(2001, 0, d);

/** Reference days 22–24 January with 3, 5 and 4 flights at distinct hours. */
const time = Float64Array.from([
  jan(21) + 23 * H,
  ...[6, 9, 20].map((h) => jan(22) + h * H),
  ...[5, 7, 8, 12, 22].map((h) => jan(23) + h * H),
  ...[1, 2, 3, 4].map((h) => jan(24) + h * H + 30 * 60_000),
  jan(25) + H,
]);

describe('rowsOfDays', () => {
  it('gives the rows of whole days, both ends inclusive', () => {
    expect(rowsOfDays({ time }, { from: '2001-01-22', to: '2001-01-24' })).toEqual({ start: 1, end: 13 });
    expect(rowsOfDays({ time }, { from: '2001-01-23', to: '2001-01-23' })).toEqual({ start: 4, end: 9 });
    expect(rowsOfDays({ time }, { from: '2001-02-01', to: '2001-02-02' })).toEqual({ start: 14, end: 14 });
  });
});

describe('resampleReferenceDays (stationary replay)', () => {
  const reference = { from: '2001-01-22', to: '2001-01-24' };
  const replay = { from: '2001-03-01', to: '2001-03-20' };
  const r = resampleReferenceDays({ time }, reference, replay, 9);

  it('maps each replay day onto one reference day and keeps its volume and times of day', () => {
    expect(r.dayMap).toHaveLength(20);
    let at = 0;
    for (const { day, from } of r.dayMap) {
      const start = Date.parse(`${day}T00:00:00Z`);
      const src = Date.parse(`${from}T00:00:00Z`);
      expect(src).toBeGreaterThanOrEqual(jan(22));
      expect(src).toBeLessThanOrEqual(jan(24));
      const { start: s, end: e } = rowsOfDays({ time }, { from, to: from });
      const count = e - s;
      for (let k = at; k < at + count; k++) {
        expect(r.rows[k]).toBeGreaterThanOrEqual(s);
        expect(r.rows[k]).toBeLessThan(e);
        expect(r.time[k] - start).toBe(time[r.rows[k]] - src);
      }
      at += count;
    }
    expect(at).toBe(r.rows.length);
  });

  it('is sorted by time, uses several reference days and resamples with replacement', () => {
    for (let k = 1; k < r.time.length; k++) expect(r.time[k]).toBeGreaterThanOrEqual(r.time[k - 1]);
    expect(new Set(r.dayMap.map((m) => m.from)).size).toBe(3);
    // 20 days of 3–5 draws with replacement: some day repeats a flight
    const repeats = r.dayMap.some((_, i) => {
      const day = Date.UTC(2001, 2, 1 + i);
      const rows = [...r.rows].filter((_, k) => r.time[k] >= day && r.time[k] < day + D);
      return new Set(rows).size < rows.length;
    });
    expect(repeats).toBe(true);
  });

  it('is seeded', () => {
    expect(resampleReferenceDays({ time }, reference, replay, 9)).toEqual(r);
    expect(resampleReferenceDays({ time }, reference, replay, 10).rows).not.toEqual(r.rows);
  });
});

import { describe, expect, it } from 'vitest';
import { encodeCategories, frequencyDictionary } from './encode.js';
import {
  buildFlightsMatrix,
  FLIGHT_NUMERIC_COLUMNS,
  type FlightsTable,
  OTHER_ROUTE,
} from './flights-matrix.js';

describe('frequencyDictionary / encodeCategories', () => {
  it('orders by decreasing count, ties by value, and truncates', () => {
    expect(frequencyDictionary(['b', 'a', 'c', 'a', null, 'c', 'd'])).toEqual(['a', 'c', 'b', 'd']);
    expect(frequencyDictionary(['b', 'a', 'a'], 1)).toEqual(['a']);
  });
  it('encodes nulls as NaN and unknown values as the fallback', () => {
    expect([...encodeCategories(['a', null, 'z'], ['b', 'a'])]).toEqual([1, Number.NaN, Number.NaN]);
    expect([...encodeCategories(['z'], ['b', 'a'], 5)]).toEqual([5]);
  });
});

function table(origins: string[], routes: string[]): FlightsTable {
  const n = origins.length;
  const col = () => new Float64Array(n);
  const numeric = Object.fromEntries(
    FLIGHT_NUMERIC_COLUMNS.map((c) => [c, col()]),
  ) as FlightsTable['numeric'];
  return {
    n,
    time: col(),
    delay: col(),
    label: new Uint8Array(n),
    numeric,
    categorical: {
      origin: origins,
      destination: origins,
      origin_state: origins.map(() => null),
      dest_state: origins,
      route: routes,
    },
  };
}

describe('buildFlightsMatrix', () => {
  it('puts numeric columns first, codes categories by frequency and keeps the top routes plus (other)', () => {
    const m = buildFlightsMatrix(table(['ORD', 'ATL', 'ATL'], ['A-B', 'C-D', 'C-D']), { routeTopN: 1 });
    expect(m.features.map((f) => f.name)).toEqual([
      ...FLIGHT_NUMERIC_COLUMNS,
      'origin',
      'destination',
      'origin_state',
      'dest_state',
      'route',
    ]);
    const j = FLIGHT_NUMERIC_COLUMNS.length;
    expect(m.features[j].categories).toEqual(['ATL', 'ORD']);
    expect([...m.columns[j]]).toEqual([1, 0, 0]);
    expect([...m.columns[j + 2]].every(Number.isNaN)).toBe(true);
    expect(m.features[j + 4].categories).toEqual(['C-D', OTHER_ROUTE]);
    expect([...m.columns[j + 4]]).toEqual([1, 0, 0]);
  });
  it('encodes with given dictionaries: unknown airports missing, unknown routes (other)', () => {
    const train = buildFlightsMatrix(table(['ORD'], ['A-B']));
    const dictionaries = Object.fromEntries(train.features.map((f) => [f.name, f.categories]));
    const m = buildFlightsMatrix(table(['SFO'], ['X-Y']), { dictionaries });
    const j = FLIGHT_NUMERIC_COLUMNS.length;
    expect(Number.isNaN(m.columns[j][0])).toBe(true);
    expect(m.columns[j + 4][0]).toBe(1);
  });
});

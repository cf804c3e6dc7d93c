import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFlights } from './flights.js';

let dir: string;
let paths: { flights: string; airports: string };

// A hand-made file: an unknown origin (XXX), a null destination, a null delay and distance,
// and rows whose file order is not their time order (the loader keeps file order).
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plumbline-flights-'));
  paths = { flights: join(dir, 'f.parquet'), airports: join(dir, 'a.csv') };
  await writeFile(
    paths.airports,
    'iata,name,city,state,country,latitude,longitude\nLAS,McCarran,Las Vegas,NV,USA,36.08,-115.15\nPHL,Philadelphia Intl,Philadelphia,PA,USA,39.87,-75.24\n',
  );
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(`COPY (SELECT * FROM (VALUES
      (TIMESTAMP '2001-01-01 06:30:00', 20::BIGINT, 2176::BIGINT, 'LAS', 'PHL'),
      (TIMESTAMP '2001-01-02 00:00:00', NULL, NULL, 'XXX', 'PHL'),
      (TIMESTAMP '2001-01-01 23:45:00', 5::BIGINT, 300::BIGINT, 'PHL', NULL),
      (TIMESTAMP '2001-01-03 12:00:00', 16::BIGINT, 2176::BIGINT, 'PHL', 'LAS')
    ) t(date, delay, distance, origin, destination)) TO '${paths.flights}' (FORMAT parquet)`);
  conn.closeSync();
  instance.closeSync();
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('loadFlights', () => {
  it('derives every column, nulls as NaN / null, in file order', async () => {
    const t = await loadFlights({ paths });
    expect(t.n).toBe(4);
    expect([...t.time]).toEqual([
      Date.parse('2001-01-01T06:30:00Z'),
      Date.parse('2001-01-02T00:00:00Z'),
      Date.parse('2001-01-01T23:45:00Z'),
      Date.parse('2001-01-03T12:00:00Z'),
    ]);
    expect([...t.delay]).toEqual([20, Number.NaN, 5, 16]);
    expect([...t.label]).toEqual([1, 0, 0, 1]);
    expect([...t.numeric.dep_hour]).toEqual([6.5, 0, 23.75, 12]);
    // ISO weekday: 2001-01-01 was a Monday
    expect([...t.numeric.weekday]).toEqual([1, 2, 1, 3]);
    expect([...t.numeric.distance]).toEqual([2176, Number.NaN, 300, 2176]);
    expect([...t.numeric.origin_lat]).toEqual([36.08, Number.NaN, 39.87, 39.87]);
    expect([...t.numeric.dest_lon]).toEqual([-75.24, -75.24, Number.NaN, -115.15]);
    expect(t.categorical.origin).toEqual(['LAS', 'XXX', 'PHL', 'PHL']);
    expect(t.categorical.destination).toEqual(['PHL', 'PHL', null, 'LAS']);
    expect(t.categorical.origin_state).toEqual(['NV', null, 'PA', 'PA']);
    expect(t.categorical.dest_state).toEqual(['PA', 'PA', null, 'NV']);
    expect(t.categorical.route).toEqual(['LAS-PHL', 'XXX-PHL', null, 'PHL-LAS']);
  });

  it('filters by departure time, then windows by offset and limit', async () => {
    const day1 = await loadFlights({ paths, from: '2001-01-01', to: '2001-01-02' });
    expect(day1.categorical.origin).toEqual(['LAS', 'PHL']);
    const window = await loadFlights({ paths, from: '2001-01-01T12:00', offset: 1, limit: 1 });
    expect(window.n).toBe(1);
    expect(window.categorical.origin).toEqual(['PHL']);
    expect([...window.numeric.distance]).toEqual([300]);
    const none = await loadFlights({ paths, from: '2002-01-01' });
    expect(none.n).toBe(0);
    expect(none.categorical.route).toEqual([]);
  });

  it('reads the shipped data set', async () => {
    const t = await loadFlights({ from: '2001-01-01', to: '2001-01-02', limit: 3 });
    expect(t.n).toBe(3);
    expect(t.categorical.origin[0]).toBe('LAS');
    expect(t.categorical.route[0]).toBe('LAS-PHL');
    expect(t.numeric.distance[0]).toBe(2176);
    expect(t.time[0]).toBe(Date.parse('2001-01-01T00:01:00Z'));
  });

  it('rejects invalid queries', async () => {
    await expect(loadFlights({ from: 'Jan 1' })).rejects.toThrow(/invalid from: "Jan 1"/);
    await expect(loadFlights({ limit: -1 })).rejects.toThrow(RangeError);
  });
});

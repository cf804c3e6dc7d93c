import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../random.js';
import { Cusum } from './cusum.js';
import { EwmaChart } from './ewma.js';
import { PageHinkley } from './page-hinkley.js';

// Shared, table-driven behaviour of the sequential detectors on seeded N(0, 1) streams:
// in-control run length (ARL₀) against the literature, false alarms on short stationary series,
// and detection delay after a 1σ / 2σ mean shift. Simulation-based; each bound is stated with
// the value it is derived from.

interface Detector {
  update(x: number): { alarm: boolean };
}

interface Row {
  name: string;
  make: () => Detector;
  /** Reference ARL₀ and where it comes from. */
  arl0: number;
  arl0Source: string;
  /** Accepted ARL₀ range for the simulated mean (≈ ±5 standard errors at 600 runs, looser when no literature value). */
  arl0Range: [number, number];
  /** Upper bounds on the mean delay after a shift of 1σ and 2σ at t = 200 (reference in parentheses). */
  delay: { 1: number; 2: number };
}

const table: Row[] = [
  {
    name: 'EWMA λ = 0.2, L = 3',
    make: () => new EwmaChart({ mean: 0, sd: 1 }),
    arl0: 560,
    arl0Source: 'seeded simulation; Montgomery §9.2: L = 2.962 gives 500, so L = 3 a little more',
    arl0Range: [450, 680],
    delay: { 1: 12.5, 2: 4.5 }, // ARL₁ ≈ 10 and ≈ 3.7 in steady state
  },
  {
    name: 'CUSUM k = 0.5, h = 5',
    make: () => new Cusum({ mean: 0, sd: 1 }),
    arl0: 465,
    arl0Source: 'Montgomery Table 9.3',
    arl0Range: [375, 560],
    delay: { 1: 12, 2: 4.5 }, // ARL₁ 10.4 and 4.01 (zero state)
  },
  {
    name: 'Page–Hinkley (river defaults: δ = 0.005, λ = 50)',
    make: () => new PageHinkley(),
    arl0: 1600,
    arl0Source: 'our simulation (no published value for N(0, 1))',
    arl0Range: [1000, 2500],
    delay: { 1: 55, 2: 26 }, // simulated 47 and 22: the running mean absorbs part of the shift, so PH is slower
  },
];

function runLength(make: () => Detector, rng: Rng, shift: number, at: number, cap: number): number {
  const d = make();
  for (let t = 1; t <= cap; t++) if (d.update(rng.normal() + (t > at ? shift : 0)).alarm) return t;
  return cap;
}

describe.each(table)('$name', (row) => {
  it(`in-control ARL₀ is close to ${row.arl0} (${row.arl0Source})`, () => {
    const rng = createRng(101);
    let sum = 0;
    for (let r = 0; r < 600; r++) sum += runLength(row.make, rng, 0, Number.POSITIVE_INFINITY, 50_000);
    const mean = sum / 600;
    expect(mean).toBeGreaterThanOrEqual(row.arl0Range[0]);
    expect(mean).toBeLessThanOrEqual(row.arl0Range[1]);
  });

  it('no alarm on the seeded stationary series of length 50; few alarms across 200 such series', () => {
    // Expected fraction with a false alarm: 1 − exp(−50/ARL₀) ≈ 3 % (PH) to 10 % (CUSUM).
    const rng = createRng(7);
    let alarmed = 0;
    for (let s = 0; s < 200; s++) {
      const d = row.make();
      let any = false;
      for (let t = 0; t < 50; t++) any = d.update(rng.normal()).alarm || any;
      if (s === 0) expect(any).toBe(false);
      if (any) alarmed++;
    }
    expect(alarmed / 200).toBeLessThanOrEqual(0.18);
  });

  for (const shift of [1, 2] as const) {
    it(`detects a ${shift}σ shift at t = 200 within a mean delay of ${row.delay[shift]}`, () => {
      const rng = createRng(200 + shift);
      const delays: number[] = [];
      for (let r = 0; r < 300; r++) {
        const t = runLength(row.make, rng, shift, 200, 2000);
        if (t > 200) delays.push(t - 200); // runs with a false alarm before the shift are left out
      }
      expect(delays.length).toBeGreaterThan(150);
      const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
      expect(mean).toBeLessThanOrEqual(row.delay[shift]);
      expect(Math.max(...delays)).toBeLessThan(2000 - 200);
    });
  }
});

/** Shared oracle data for the change-detector tests (fixtures from scripts/fixtures-sketches.py). */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** test/fixtures/change-detectors.json, parsed. */
export const changeFixtures = JSON.parse(
  readFileSync(new URL('../fixtures/change-detectors.json', import.meta.url), 'utf8'),
);

/** Asserts |a − b| ≤ 1e-9 · max(1, |b|) (the agreement target for statistics). */
export function expectClose(a: number, b: number): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
}

/** Montgomery, "Introduction to Statistical Quality Control", Example 9.1/9.2 data (μ₀ = 10, σ = 1). */
export const montgomeryExample = [
  9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.2, 10.34, 9.03, 11.47, 10.51, 9.4, 10.08, 9.37, 10.62,
  10.31, 8.52, 10.84, 10.9, 9.33, 12.29, 11.5, 10.6, 11.08, 10.38, 11.62, 11.31, 10.52,
];

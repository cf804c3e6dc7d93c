/** Assertions for comparing metric results with oracle fixtures at a stated tolerance. */
import { expect } from 'vitest';
import { close } from '../stats/load-fixture.js';

/** Expects |actual − expected| ≤ atol + rtol·|expected| (NaN equals NaN). */
export function expectClose(actual: number, expected: number, rtol: number, atol = 0, label = ''): void {
  if (!close(actual, expected, rtol, atol)) expect(actual, label).toBe(expected);
}

/** Expects equal lengths and element-wise closeness. */
export function expectArrayClose(
  actual: ArrayLike<number>,
  expected: number[],
  rtol: number,
  atol = 0,
  label = '',
): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i], expected[i], rtol, atol, `${label}[${i}]`);
}

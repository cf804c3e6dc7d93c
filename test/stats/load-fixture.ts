/** Reads a committed oracle fixture (test/fixtures/<name>.json) and decodes non-finite numbers. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

function decode(value: unknown): unknown {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

/** Loads test/fixtures/<name>.json, with "NaN"/"Infinity"/"-Infinity" strings turned into numbers. */
// biome-ignore lint/suspicious/noExplicitAny: fixtures are untyped JSON
export function loadFixture(name: string): any {
  return decode(JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8')));
}

/** |actual − expected| ≤ atol + rtol·|expected|, with NaN equal to NaN and infinities exact. */
export function close(actual: number, expected: number, rtol: number, atol = 0): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

/** Tolerance for p-values (ground rules): 1e-6 absolute, or 1e-3 relative below 1e-3. */
export function closeP(actual: number, expected: number): boolean {
  if (expected < 1e-3) return close(actual, expected, 1e-3);
  return close(actual, expected, 0, 1e-6);
}

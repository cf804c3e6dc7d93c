import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { float32LessThanBoundary, nextUp } from './float.js';

describe('nextUp', () => {
  it('steps to the adjacent double', () => {
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(nextUp(-Number.MIN_VALUE)).toBe(-0);
    expect(nextUp(-1)).toBe(-1 + Number.EPSILON / 2);
  });
});

describe('float32LessThanBoundary', () => {
  it('matches Math.fround(x) < t for values around the threshold', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true }), (t, dx) => {
        const b = float32LessThanBoundary(t);
        for (const x of [t, b, nextUp(b), -nextUp(-b), t + dx * 1e-7, t * (1 + 1e-8), dx]) {
          expect(x < b).toBe(Math.fround(x) < t);
        }
      }),
      { numRuns: 2000 },
    );
  });
  it('rejects a value that is not a float32', () => {
    expect(() => float32LessThanBoundary(0.1)).toThrow(RangeError);
  });
});

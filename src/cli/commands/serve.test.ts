import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { duration } from './serve.js';

describe('serve --monitor-interval', () => {
  it('takes 0 (no scheduler, as its help says) and durations with units', () => {
    expect(duration('0')).toBe(0);
    expect(duration('30s')).toBe(30_000);
    expect(duration('1m30s')).toBe(90_000);
  });
  it('rejects what is not a duration', () => {
    expect(() => duration('soon')).toThrow(InvalidArgumentError);
    expect(() => duration('-1m')).toThrow(/expected a duration like 1m, 30s or 0/);
  });
});

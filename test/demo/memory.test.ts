import { describe, expect, it } from 'vitest';
import { peakRssMb, sampleRss } from '../../src/demo/memory.js';

describe('peakRssMb', () => {
  it('is at least the current RSS (a high-water mark)', () => {
    const now = process.memoryUsage.rss() / (1024 * 1024);
    // VmHWM is in kB and updated by the kernel, so allow a page of rounding
    expect(peakRssMb()).toBeGreaterThanOrEqual(now - 1);
  });
});

describe('sampleRss', () => {
  it('keeps the largest sample of each phase, in phase order', () => {
    const s = sampleRss({ intervalMs: 1000 });
    s.phase('a');
    // touch 64 MB while in phase b: its peak must rise well above a's (margin for a GC in between)
    s.phase('b');
    const held = new Float64Array(8 * 1024 * 1024).fill(1);
    const mid = s.peaks();
    expect(held[held.length - 1]).toBe(1);
    s.phase('c');
    const peaks = s.stop();
    expect(Object.keys(peaks)).toEqual(['a', 'b', 'c']);
    expect(peaks.b).toBeGreaterThanOrEqual(mid.a + 32);
    for (const mb of Object.values(peaks)) expect(mb).toBeGreaterThan(0);
  });

  it('rejects an invalid interval', () => {
    expect(() => sampleRss({ intervalMs: 0 })).toThrow(RangeError);
    expect(() => sampleRss({ intervalMs: Number.NaN })).toThrow(/invalid intervalMs: NaN/);
  });
});

/**
 * Tumbling windows by event time: an event at t belongs to the window of its size starting at
 * ⌊t / size⌋ · size (UTC; a day window starts at 00:00 UTC).
 */
import type { WindowSize } from '../store/store.js';

/** Length of each window size in milliseconds. */
export const windowMs: Readonly<Record<WindowSize, number>> = { hour: 3_600_000, day: 86_400_000 };

/** The window sizes the monitor knows. */
export const windowSizes: readonly WindowSize[] = ['hour', 'day'];

/** Checks a window size, throwing a RangeError that names it. */
export function checkWindowSize(size: string): asserts size is WindowSize {
  if (!(windowSizes as readonly string[]).includes(size))
    throw new RangeError(`invalid window: ${JSON.stringify(size)} (expected 'hour' or 'day')`);
}

/** Start of the window of `size` holding time `timeMs`. */
export function windowStart(timeMs: number, size: WindowSize): number {
  const ms = windowMs[size];
  return Math.floor(timeMs / ms) * ms;
}

/** One window's rows in a time-sorted column: indices [begin, end). */
export interface WindowSlice {
  startMs: number;
  begin: number;
  end: number;
}

/**
 * Splits time-sorted rows into the non-empty windows of `size`, in time order. O(n).
 * Throws a RangeError if the times are not sorted.
 */
export function sliceWindows(timeMs: ArrayLike<number>, size: WindowSize): WindowSlice[] {
  const out: WindowSlice[] = [];
  const n = timeMs.length;
  let begin = 0;
  while (begin < n) {
    const startMs = windowStart(timeMs[begin], size);
    const limit = startMs + windowMs[size];
    let end = begin + 1;
    while (end < n && timeMs[end] < limit) {
      if (timeMs[end] < timeMs[end - 1])
        throw new RangeError(`invalid timeMs[${end}]: ${timeMs[end]} (expected times in ascending order)`);
      end++;
    }
    out.push({ startMs, begin, end });
    begin = end;
  }
  return out;
}

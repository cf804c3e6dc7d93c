/**
 * Resident memory of the demo's processes: the peak RSS the kernel recorded for this process
 * (`VmHWM` of /proc/self/status, which equals `getrusage` ru_maxrss), and a sampler of the current
 * RSS per demo stage, to see where the peak happens.
 */
import { readFileSync } from 'node:fs';

const MB = 1024 * 1024;

/** Peak resident set size of this process so far, in MB (VmHWM; `resourceUsage().maxRSS` off Linux). */
export function peakRssMb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Options of {@link sampleRss}. */
export interface RssSamplerOptions {
  /** Milliseconds between samples. Default 100. */
  intervalMs?: number;
}

const defaults = { intervalMs: 100 };

/** A running RSS sampler: the largest RSS (MB) seen in each phase named with `phase`. */
export interface RssSampler {
  /** Starts attributing samples to `name` (samples once at the switch). */
  phase(name: string): void;
  /** Samples once more and returns the peak RSS per phase so far, in MB (sampling goes on). */
  peaks(): Record<string, number>;
  /** Samples once more, stops, and returns the peak RSS per phase in MB. */
  stop(): Record<string, number>;
}

/** Samples `process.memoryUsage.rss()` on a timer (unref'd: it never keeps the process alive). */
export function sampleRss(options: RssSamplerOptions = {}): RssSampler {
  const { intervalMs } = { ...defaults, ...options };
  if (!(intervalMs > 0)) throw new RangeError(`invalid intervalMs: ${intervalMs} (expected a number > 0)`);
  const peaks: Record<string, number> = {};
  let current: string | undefined;
  const sample = () => {
    if (current === undefined) return;
    peaks[current] = Math.max(peaks[current] ?? 0, Math.round(process.memoryUsage.rss() / MB));
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    phase(name) {
      sample();
      current = name;
      sample();
    },
    peaks() {
      sample();
      return { ...peaks };
    },
    stop() {
      clearInterval(timer);
      return this.peaks();
    },
  };
}

import { describe, expect, it } from 'vitest';
import { type SchedulerClock, startScheduler } from './scheduler.js';

/** A clock whose timers fire only when the test advances it. */
function fakeClock(start = 0) {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: SchedulerClock & { advance(ms: number): Promise<void>; pending(): number[] } = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(h) {
      timers.delete(h as number);
    },
    pending: () => [...timers.values()].map((t) => t.at).sort((a, b) => a - b),
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        // let the tick's promises settle before the next timer
        for (let i = 0; i < 20; i++) await Promise.resolve();
      }
      now = end;
    },
  };
  return clock;
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('startScheduler', () => {
  it('runs monitor then evaluate per model at once, then every interval after the tick', async () => {
    const clock = fakeClock(1_000);
    const calls: string[] = [];
    const s = startScheduler({
      intervalMs: 60_000,
      clock,
      models: async () => ['a', 'b'],
      monitor: async (m, t) => void calls.push(`monitor ${m} @${t}`),
      evaluate: async (m, t) => void calls.push(`evaluate ${m} @${t}`),
    });
    await clock.advance(0);
    expect(calls).toEqual(['monitor a @1000', 'evaluate a @1000', 'monitor b @1000', 'evaluate b @1000']);
    expect(clock.pending()).toEqual([61_000]);
    await clock.advance(59_999);
    expect(calls).toHaveLength(4);
    await clock.advance(1);
    expect(calls.slice(4)).toEqual([
      'monitor a @61000',
      'evaluate a @61000',
      'monitor b @61000',
      'evaluate b @61000',
    ]);
    await clock.advance(120_000);
    expect(calls).toHaveLength(16);
    await s.stop();
    expect(clock.pending()).toEqual([]);
    await clock.advance(600_000);
    expect(calls).toHaveLength(16);
    expect(s.running).toBe(false);
  });

  it('reports a failing model and still runs the others; a failed monitor skips its evaluation', async () => {
    const clock = fakeClock();
    const ticks: { model: string; ok: boolean; step?: string }[][] = [];
    const evaluated: string[] = [];
    const s = startScheduler({
      intervalMs: 1000,
      clock,
      models: async () => ['bad-monitor', 'bad-eval', 'good'],
      monitor: async (m) => {
        if (m === 'bad-monitor') throw new Error('no reference');
      },
      evaluate: async (m) => {
        if (m === 'bad-eval') throw new Error('store closed');
        evaluated.push(m);
      },
      onTick: (r) => ticks.push(r.models.map((x) => ({ model: x.model, ok: x.ok, step: x.failed?.step }))),
    });
    await clock.advance(0);
    await s.stop();
    expect(evaluated).toEqual(['good']);
    expect(ticks[0]).toEqual([
      { model: 'bad-monitor', ok: false, step: 'monitor' },
      { model: 'bad-eval', ok: false, step: 'evaluate' },
      { model: 'good', ok: true, step: undefined },
    ]);
  });

  it('never overlaps ticks: a slow tick delays the next by the full interval', async () => {
    const clock = fakeClock();
    let release: () => void = () => undefined;
    let active = 0;
    let maxActive = 0;
    const s = startScheduler({
      intervalMs: 1000,
      clock,
      models: async () => ['m'],
      monitor: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((r) => {
          release = r;
        });
        active--;
      },
      evaluate: async () => undefined,
    });
    await clock.advance(0);
    expect(clock.pending()).toEqual([]); // the next timer waits for the tick
    const manual = s.tick(); // queued behind the running one
    await clock.advance(5000);
    release();
    await flush();
    release();
    await manual;
    await flush();
    expect(maxActive).toBe(1);
    expect(clock.pending()).toEqual([6000]);
    await s.stop();
  });

  it('with interval 0 never ticks by itself, but tick() still runs; a negative interval is refused', async () => {
    const clock = fakeClock();
    let n = 0;
    const s = startScheduler({
      intervalMs: 0,
      clock,
      models: async () => ['m'],
      monitor: async () => void n++,
      evaluate: async () => undefined,
    });
    await clock.advance(10_000);
    expect(n).toBe(0);
    expect(s.running).toBe(false);
    await s.tick();
    expect(n).toBe(1);
    expect(() =>
      startScheduler({
        intervalMs: -1,
        models: async () => [],
        monitor: async () => 0,
        evaluate: async () => 0,
      }),
    ).toThrow(/invalid intervalMs: -1/);
  });
});

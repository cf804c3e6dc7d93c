import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forkReplayClient, type ReplayClientMessage, replayDays } from '../../src/demo/replay-client.js';
import {
  DEMO_STAGES,
  type DemoRunSummary,
  flightsScenarioContext,
  runDemo,
} from '../../src/demo/run-demo.js';
import { parseScenario } from '../../src/demo/scenario.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const DAY = 86_400_000;

describe('replayDays', () => {
  it('totals what was sent per day, NaN for an empty day', () => {
    const t0 = Date.parse('2001-02-01T00:00:00Z');
    const events = {
      n: 4,
      time: Float64Array.from([t0 + 1, t0 + 2, t0 + 3, t0 + 2 * DAY + 5]),
      label: Uint8Array.from([1, 0, 1, 0]),
    };
    const scores = Float64Array.from([0.9, 0.2, 0.4, 0.7]);
    const affected = Uint8Array.from([0, 1, 1, 0]);
    const days = replayDays(events, scores, 0.5, affected, { fromMs: t0, toMs: t0 + 3 * DAY });
    expect(days.map((d) => d.startMs)).toEqual([t0, t0 + DAY, t0 + 2 * DAY]);
    expect(days[0]).toMatchObject({ sent: 3, positives: 2, predictedPositive: 1, affected: 2 });
    expect(days[0].meanScore).toBeCloseTo(0.5, 12);
    // positives 0.9 and 0.4 against the negative 0.2: both ranked above it
    expect(days[0].rocAuc).toBe(1);
    expect(days[1]).toMatchObject({ sent: 0, positives: 0, affected: 0 });
    expect(days[1].meanScore).toBeNaN();
    expect(days[1].rocAuc).toBeNaN();
    // one class only: ROC-AUC undefined
    expect(days[2]).toMatchObject({ sent: 1, predictedPositive: 1 });
    expect(days[2].rocAuc).toBeNaN();
  });
});

describe('the demo in two processes (short scenario)', () => {
  it('replays from a child process and reports both peak RSS figures', async () => {
    // 2 training days, 1 reference day, 2 stationary replay days (the resample path)
    const scenario = parseScenario(
      {
        seed: 3,
        train: { from: '2001-01-01', to: '2001-01-02' },
        reference: { from: '2001-01-03', to: '2001-01-03' },
        replay: { from: '2001-02-01', to: '2001-02-02', source: 'reference' },
        labelDelayHours: 6,
        incidents: [{ kind: 'latency', addMs: 40, from: '2001-02-02', to: '2001-02-02' }],
      },
      flightsScenarioContext,
    );
    const out = await mkdtemp(join(tmpdir(), 'plumbline-split-'));
    dirs.push(out);
    const stages: string[] = [];
    let progress = 0;
    const run = await runDemo({
      scenario,
      scenarioFile: 'inline',
      out,
      duckdbMemoryLimit: '256MB',
      onStage: (s) => stages.push(s),
      onReplayProgress: () => progress++,
    });
    let written: DemoRunSummary;
    try {
      written = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    } finally {
      await run.close();
    }
    expect(stages).toEqual([...DEMO_STAGES]);
    expect(progress).toBeGreaterThan(0);
    const { memory } = written;
    expect(memory.duckdbMemoryLimit).toBe('256MB');
    // plausible, not thresholds: a Node process holds tens of MB, and less than the machine's RAM
    for (const mb of [memory.serverPeakRssMb, memory.replayClientPeakRssMb]) {
      expect(mb).toBeGreaterThan(30);
      expect(mb).toBeLessThan(64 * 1024);
    }
    expect(Object.keys(memory.serverRssMbByStage)).toEqual([...DEMO_STAGES]);
    for (const mb of Object.values(memory.serverRssMbByStage)) {
      expect(mb).toBeGreaterThan(0);
      expect(mb).toBeLessThanOrEqual(memory.serverPeakRssMb + 1);
    }
    // what the child sent reached the server: its per-day totals line up with the store's counts
    expect(written.windows.map((w) => w.start)).toEqual(['2001-02-01', '2001-02-02']);
    for (const w of written.windows) {
      expect(w.events).toBeGreaterThan(10_000);
      expect(w.labelled).toBe(w.events);
      expect(w.positives).toBeGreaterThan(0);
    }
    expect(written.replay.events).toBe(written.windows[0].events + written.windows[1].events);
    expect(written.incidents[0].affected).toBe(written.windows[1].events);
    expect(written.windows[1].affected).toBe(written.windows[1].events);
    expect(written.model.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(written.model.referenceRows).toBeGreaterThan(10_000);
  }, 180_000);

  it('runs the client in another process and fails cleanly when the server is unreachable', async () => {
    const scenario = parseScenario(
      {
        seed: 1,
        train: { from: '2001-01-01', to: '2001-01-01' },
        reference: { from: '2001-01-02', to: '2001-01-02' },
        replay: { from: '2001-01-03', to: '2001-01-03' },
        incidents: [],
      },
      flightsScenarioContext,
    );
    const seen: ReplayClientMessage['type'][] = [];
    // port 9 (discard) on loopback: nothing listens, so the first request is refused
    const client = forkReplayClient({ scenario, url: 'http://127.0.0.1:9' }, (m) => seen.push(m.type));
    const err = (await client.result.catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/^replay client: /);
    expect(err.stack).toContain('(child)');
    expect(seen).toEqual(['stage']);
  }, 120_000);
});

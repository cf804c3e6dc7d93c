import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAGES, flightsScenarioContext, runDemo } from '../../src/demo/run-demo.js';
import { parseScenario } from '../../src/demo/scenario.js';
import type { DemoSummary } from '../../src/demo/summary.js';

// A short run: 3 training days, 2 reference days, 4 replay days with two incidents.
const scenario = parseScenario(
  {
    seed: 5,
    train: { from: '2001-01-01', to: '2001-01-03' },
    reference: { from: '2001-01-04', to: '2001-01-05' },
    replay: { from: '2001-01-08', to: '2001-01-11' },
    labelDelayHours: 12,
    incidents: [
      { kind: 'nulls', feature: 'destination', fraction: 0.5, from: '2001-01-09', to: '2001-01-09' },
      { kind: 'latency', addMs: 60, version: 'v1.1', from: '2001-01-10', to: '2001-01-10' },
      {
        kind: 'scale',
        feature: 'distance',
        factor: 1.609,
        tags: { pipeline: 'v2' },
        fraction: 0.3,
        from: '2001-01-11',
        to: '2001-01-11',
      },
    ],
  },
  flightsScenarioContext,
);

let dir: string;
let summary: DemoSummary;
let written: DemoSummary;
let url: string;
let modelJson: { versions: { id: string }[]; reference: { id: string } | null };
let stages: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plumbline-demo-'));
  stages = [];
  const run = await runDemo({ scenario, scenarioFile: 'inline', out: dir, onStage: (s) => stages.push(s) });
  try {
    summary = run.summary;
    url = run.url;
    modelJson = (await (await fetch(`${url}/v1/models/flights-delay`)).json()) as typeof modelJson;
  } finally {
    await run.close();
  }
  written = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
}, 240_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the flights demo, end to end (short scenario)', () => {
  it('writes summary.json with the documented structure', () => {
    expect(written).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(Object.keys(written)).toEqual(
      expect.arrayContaining(['scenario', 'model', 'timings', 'windows', 'incidents', 'replay', 'monitor']),
    );
    expect(written.model.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(written.model.trainAuc).toBeGreaterThan(0.6);
    expect(written.model.referenceAuc).toBeGreaterThan(0.55);
    expect(Object.keys(written.timings)).toEqual([...DEMO_STAGES]);
    expect(stages).toEqual([...DEMO_STAGES]);
    expect(written.monitor.status).toBe('ok');
    expect(written.monitor.points).toBeGreaterThan(0);
  });

  it('registers the model, its versions and the reference snapshot', () => {
    expect(modelJson.versions.map((v) => v.id).sort()).toEqual(['v1', 'v1.1']);
    expect(modelJson.reference?.id).toBe(written.model.snapshotId);
  });

  it('stores every replayed event and label, one window per day', () => {
    expect(written.windows.map((w) => w.start)).toEqual([
      '2001-01-08',
      '2001-01-09',
      '2001-01-10',
      '2001-01-11',
    ]);
    const events = written.windows.reduce((s, w) => s + w.events, 0);
    expect(events).toBe(written.replay.events);
    expect(written.replay.labels).toBe(written.replay.events);
    for (const w of written.windows) {
      expect(w.events).toBeGreaterThan(10_000);
      expect(w.labelled).toBe(w.events);
      expect(w.positives).toBeGreaterThan(0);
      expect(w.positives).toBeLessThan(w.events);
    }
    expect(written.windows[0].affected).toBe(0);
    expect(written.windows[1].flagged).toContain('missing_rate.destination');
    expect(written.windows[0].flagged).not.toContain('missing_rate.destination');
    expect(written.windows[2].affected).toBe(written.windows[2].events);
  });

  it('shows each incident in its signals', () => {
    const [nulls, latency, scale] = written.incidents;
    expect(nulls).toMatchObject({ index: 0, kind: 'nulls', feature: 'destination', from: '2001-01-09' });
    expect(nulls.affected).toBeGreaterThan(0.4 * written.windows[1].events);
    expect(nulls.signals[0]).toMatchObject({ matchesIncident: true, window: 'day 2001-01-09' });
    expect(nulls.signals.some((s) => s.metric === 'missing_rate.destination' && s.segment === 'all')).toBe(
      true,
    );
    expect(latency.signals.some((s) => s.matchesIncident && s.metric.includes('latency'))).toBe(true);
    // 30 % of distances × 1.609, in pipeline v2 only: flagged (significant and material) on the v2
    // cohort, so its distance drift ranks first; on all traffic it moves below the materiality floor
    expect(scale.signals[0]).toMatchObject({
      metric: 'cohort_drift.distance',
      segment: 'tags.pipeline=v2',
      significant: true,
      matchesIncident: true,
    });
    expect(
      scale.signals.some((s) => s.metric === 'drift.distance' && s.segment === 'all' && s.matchesIncident),
    ).toBe(true);
    // signals naming the incident (its feature or its v2 cohort) rank before the natural drift of the day
    const matching = scale.signals.map((s) => s.matchesIncident);
    expect(matching).toEqual([...matching].sort((a, b) => Number(b) - Number(a)));
    for (const inc of written.incidents)
      for (const s of inc.signals) {
        const day = /\d{4}-\d{2}-\d{2}/.exec(s.window)?.[0] ?? '';
        expect(day >= inc.from && day <= inc.to).toBe(true);
      }
  });
});

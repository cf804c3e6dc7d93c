import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flightsScenarioContext, runDemo } from '../../src/demo/run-demo.js';
import { type DayRange, parseScenario, type Scenario } from '../../src/demo/scenario.js';

// The shipped scenario files, shortened so that each run takes seconds: 3 training days, 2
// reference days, 3 replay days starting at `replayFrom`, incidents clipped to those days.
async function shortened(file: string, replayFrom: string): Promise<Scenario> {
  const raw = JSON.parse(await readFile(new URL(`../../scenarios/${file}`, import.meta.url), 'utf8'));
  const day = (d: string, k: number) =>
    new Date(Date.parse(`${d}T00:00:00Z`) + k * 86_400_000).toISOString().slice(0, 10);
  const replay: DayRange = { from: replayFrom, to: day(replayFrom, 2) };
  raw.train.to = day(raw.train.from, 2);
  raw.reference = { from: day(raw.train.from, 3), to: day(raw.train.from, 4) };
  raw.replay = { ...raw.replay, ...replay };
  raw.incidents = (raw.incidents as DayRange[])
    .filter((i) => i.from <= replay.to && i.to >= replay.from)
    .map((i) => ({
      ...i,
      from: [i.from, replay.from].sort()[1],
      to: [i.to, replay.to].sort()[0],
    }));
  return parseScenario(raw, flightsScenarioContext);
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function run(scenario: Scenario) {
  const out = await mkdtemp(join(tmpdir(), 'plumbline-scenario-'));
  dirs.push(out);
  const r = await runDemo({ scenario, scenarioFile: 'test', out });
  try {
    const drift = await r.store.queryMetricPoints({
      model: 'flights-delay',
      window: 'day',
      segment: 'all',
      version: '*',
    });
    return { summary: r.summary, points: drift };
  } finally {
    await r.close();
  }
}

describe('shipped scenarios, shortened', () => {
  it('stationary.json: a resampled reference gives no material feature drift', async () => {
    const scenario = await shortened('stationary.json', '2001-02-01');
    expect(scenario.replay.source).toBe('reference');
    const { summary, points } = await run(scenario);
    expect(summary.windows).toHaveLength(3);
    for (const w of summary.windows) expect(w.events).toBeGreaterThan(10_000);
    const drift = points.filter((p) => p.metric.startsWith('drift.') && p.status === 'ok');
    expect(drift.length).toBeGreaterThanOrEqual(3 * 12);
    // 36 feature-days tested at FDR 5 % with a materiality floor: nothing should be flagged, except
    // weekday: a day window holds one weekday while the reference holds several, so it "drifts"
    // every day by construction (a seasonality the monitor does not yet match; see the README)
    expect(drift.filter((p) => p.significant && p.metric !== 'drift.weekday').map((p) => p.metric)).toEqual(
      [],
    );
  }, 180_000);

  it('west-coast.json: the dest_state encoding bug shows as new categories in pipeline v3', async () => {
    const scenario = await shortened('west-coast.json', '2001-04-10');
    expect(scenario.incidents.map((i) => i.kind)).toEqual(['category-remap']);
    const { summary } = await run(scenario);
    const [remap] = summary.incidents;
    expect(remap.affected).toBeGreaterThan(1000);
    expect(remap.signals[0]).toMatchObject({ matchesIncident: true });
    expect(remap.signals.some((s) => s.metric === 'new_category_rate.dest_state' && s.significant)).toBe(
      true,
    );
  }, 180_000);
});

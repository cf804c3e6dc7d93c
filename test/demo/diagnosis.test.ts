/**
 * The diagnosis proof of issue #7 on scenario files other than the default: each is a short demo
 * (a week of training, a week of reference, a two-week replay) run end to end, and each of its
 * incidents must be detected by an alert whose RCA's top hypothesis names the injected cause.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstAlertOf, namesIncident } from '../../src/demo/diagnose.js';
import { type DemoRunSummary, flightsScenarioContext, runDemo } from '../../src/demo/run-demo.js';
import { type Incident, parseScenario } from '../../src/demo/scenario.js';

const incident = (over: Record<string, unknown>): Incident =>
  ({ from: '2001-03-10', to: '2001-03-12', fraction: 1, ...over }) as unknown as Incident;

describe('namesIncident', () => {
  it.each([
    [
      'the scaled feature',
      incident({ kind: 'scale', feature: 'distance', factor: 2 }),
      { feature: 'distance' },
      true,
    ],
    [
      'the pipeline tag stamped on the scaled events',
      incident({ kind: 'scale', feature: 'distance', factor: 2, tags: { pipeline: 'v2' } }),
      { tag: { pipeline: 'v2' } },
      true,
    ],
    ['another feature', incident({ kind: 'nulls', feature: 'origin' }), { feature: 'destination' }, false],
    [
      'the where segment of a label flip (refined)',
      incident({ kind: 'label-flip', where: { origin: 'ORD' }, fromLabel: 0, toLabel: 1 }),
      { segment: { origin: 'ORD', dep_hour: '[17, 20)' } },
      true,
    ],
    [
      'another segment for a label flip',
      incident({ kind: 'label-flip', where: { origin: 'ORD' }, fromLabel: 0, toLabel: 1 }),
      { segment: { origin: 'ATL' } },
      false,
    ],
    [
      'the version of a latency incident',
      incident({ kind: 'latency', addMs: 50, factor: 1, version: 'v1.1' }),
      { version: 'v1.1' },
      true,
    ],
    [
      'a tag, not the version, of a versioned latency incident',
      incident({
        kind: 'latency',
        addMs: 50,
        factor: 1,
        version: 'v1.1',
        tags: { region: 'eu' },
      }),
      { tag: { region: 'eu' } },
      false,
    ],
  ])('%s', (_what, inc, subject, expected) => {
    expect(namesIncident({ subject }, inc)).toBe(expected);
  });
});

describe('firstAlertOf', () => {
  const a = (rule: string, firedAt: string, segment = 'all', kind = 'performance') => ({
    rule,
    kind,
    scope: { metric: 'accuracy', segment, version: '*' },
    firedAt,
  });
  const inc = {
    index: 0,
    kind: 'label-flip',
    from: '2001-03-10',
    to: '2001-03-12',
    where: { origin: 'ORD' },
  };
  it('skips alerts fired by the window before the incident, and alerts that do not match it', () => {
    const alerts = [
      a('day-before', '2001-03-10T00:00:00Z'),
      a('other-segment', '2001-03-11T00:00:00Z', 'origin=ATL'),
      a('later', '2001-03-12T00:00:00Z', 'origin=ORD'),
      a('first', '2001-03-11T00:00:00Z', 'origin=ORD'),
      a('after-grace', '2001-03-15T00:00:00Z', 'origin=ORD'),
    ];
    expect(firstAlertOf(alerts, inc, () => 86_400_000)).toMatchObject({
      rule: 'first',
      matchedBy: 'segment',
    });
    expect(firstAlertOf([alerts[0], alerts[4]], inc, () => 86_400_000)).toBeNull();
  });
});

// Each run takes about 40 s on an idle 2-core machine (loading, training, a week of reference
// and two weeks of replay through HTTP, the monitor, alerts, then the RCAs).
const files = ['atl-dep-hour.json', 'dest-state-remap.json', 'texas-label-flip.json'];
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe.each(files)('scenarios/%s, end to end', (file) => {
  let summary: DemoRunSummary;
  let shown: { hypotheses: unknown[] }[] = [];
  let alertRcaIds: (string | null)[] = [];
  beforeAll(async () => {
    const raw = JSON.parse(await readFile(new URL(`../../scenarios/${file}`, import.meta.url), 'utf8'));
    const scenario = parseScenario(raw, flightsScenarioContext);
    const out = await mkdtemp(join(tmpdir(), 'plumbline-diagnosis-'));
    dirs.push(out);
    const run = await runDemo({ scenario, scenarioFile: file, out });
    try {
      summary = run.summary;
      shown = [];
      for (const inc of summary.incidents)
        if (inc.rca)
          shown.push(
            (await (await fetch(`${run.url}/v1/models/flights-delay/rca/${inc.rca.id}`)).json()) as {
              hypotheses: unknown[];
            },
          );
      const alerts = (await (await fetch(`${run.url}/v1/alerts?state=all`)).json()) as {
        alerts: { rcaId: string | null }[];
      };
      alertRcaIds = alerts.alerts.map((a) => a.rcaId);
    } finally {
      await run.close();
    }
  }, 400_000);

  it('detects every incident, and the top hypothesis of its first alert names the cause', () => {
    const outcome = summary.incidents.map((i) => ({
      index: i.index,
      kind: i.kind,
      detected: i.rca !== null && i.rca !== undefined,
      diagnosed: i.diagnosed,
      alert: i.rca?.alert.rule,
      top: i.rca?.hypotheses[0] && { kind: i.rca.hypotheses[0].kind, subject: i.rca.hypotheses[0].subject },
    }));
    for (const o of outcome) expect(o, JSON.stringify(o)).toMatchObject({ detected: true, diagnosed: true });
  });

  it('links each report from its alert (GET /v1/alerts shows its rcaId)', () => {
    for (const inc of summary.incidents) if (inc.rca) expect(alertRcaIds).toContain(inc.rca.id);
  });

  it('stores each report, served by GET /v1/models/{model}/rca/{id}', () => {
    const withRca = summary.incidents.filter((i) => i.rca);
    expect(shown).toHaveLength(withRca.length);
    const head = (hs: unknown[]) =>
      (hs as { kind: string; subject: unknown; score: number }[])
        .slice(0, 3)
        .map(({ kind, subject, score }) => ({ kind, subject, score }));
    for (const [k, report] of shown.entries())
      expect(head(report.hypotheses)).toEqual(head(withRca[k].rca?.hypotheses ?? []));
  });
});

/**
 * Browser tests of the dashboard: Debian's Chromium (playwright-core) against a real server seeded
 * with a small synthetic model run through the monitor and the alert rules. Every page renders
 * without console errors and shows the API's numbers; drill-downs, acknowledge, silence, the theme
 * toggle and the API-key login work; the RCA pages show the API's reports; the timeline shows the
 * seeded deploy; read-only keys see no write action. Screenshots go to test-output/screenshots/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/auth.js';
import { warmReferenceColumns } from '../../src/server/routes/feature-distribution.js';
import { D0, DAY, DEPLOY_DAY, escalationPolicy, type SeededServer, startSeededServer } from './seed.js';

const shots = resolve('test-output/screenshots');
let server: SeededServer;
let context: BrowserContext;
let webDir: string;
let profile: string;
const consoleErrors: string[] = [];

interface ApiPoint {
  value: number | null;
  status: string;
}

const api = async <T>(path: string): Promise<T> => (await fetch(server.url + path)).json() as Promise<T>;
const lastOk = (points: ApiPoint[]) =>
  points.filter((p) => p.status === 'ok' && p.value !== null).at(-1)?.value;
/** The dashboard's number format (format.ts: toPrecision, then shortest). */
const shown = (v: number | null | undefined, digits: number) =>
  v == null ? '—' : String(Number(v.toPrecision(digits)));

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${path}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${path}: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) consoleErrors.push(`${path}: ${r.status()} ${r.url()}`);
  });
  await page.goto(server.url + path);
  return page;
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The dashboard's time format (format.ts `time`). */
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** A point of the single-series metrics route. */
interface RawPoint {
  version: string;
  window: { startMs: number };
  value: number | null;
  detail?: Record<string, unknown>;
}

interface ApiReport {
  id: string;
  hypotheses: { kind: string; score: number; subject: Record<string, unknown> }[];
  caveats: string[];
  charts: {
    shap: unknown[] | null;
    segments: { n: number; rateNow: number; rateBaseline: number | null; shareExplained: number | null }[];
  };
}

/** A subject as the RCA page writes it (web/src/api.ts describeSubject). */
function subjectText(s: Record<string, unknown>): string {
  if (typeof s.feature === 'string') return s.feature;
  if (typeof s.version === 'string') return s.version;
  const kv = (s.tag ?? s.segment ?? {}) as Record<string, string>;
  return (
    Object.entries(kv)
      .map(([k, v]) => `${k}=${v}`)
      .join(' & ') || 'whole population'
  );
}

/** The distribution's axes are titled (feature, share of events); no tick label overprints another or leaves the figure. */
async function expectReadableAxes(page: Page, feature: string): Promise<void> {
  const chart = page.getByTestId('distribution');
  expect(await chart.getByTestId('x-title').textContent()).toBe(feature);
  expect(await chart.getByTestId('y-title').textContent()).toBe('share of events');
  const boxes = (id: string) =>
    chart.getByTestId(id).evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }),
    );
  const svg = await chart.locator('svg').evaluate((e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  });
  const x = await boxes('x-tick');
  const y = await boxes('y-tick');
  expect(x.length).toBeGreaterThanOrEqual(3);
  expect(y.length).toBeGreaterThanOrEqual(3);
  type Box = (typeof x)[number];
  const overlap = (a: Box, b: Box) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const labels = [...x, ...y];
  for (const [i, a] of labels.entries()) {
    expect(a.left).toBeGreaterThanOrEqual(svg.left);
    expect(a.right).toBeLessThanOrEqual(svg.right);
    expect(a.top).toBeGreaterThanOrEqual(svg.top);
    expect(a.bottom).toBeLessThanOrEqual(svg.bottom);
    for (const b of labels.slice(i + 1)) expect(overlap(a, b)).toBe(false);
  }
}

/** Checks the RCA page against the stored report: hypotheses in order, scores, caveats, chart rows. */
async function expectReport(page: Page, report: ApiReport): Promise<void> {
  const items = page.getByTestId('hypotheses').locator('li.hypothesis');
  await expect.poll(() => items.count()).toBe(report.hypotheses.length);
  const shownHyps = await items.evaluateAll((els) =>
    els.map((e) => ({
      kind: e.getAttribute('data-kind'),
      subject: e.getAttribute('data-subject'),
      score: e.querySelector('[data-testid="score"]')?.textContent,
    })),
  );
  expect(shownHyps).toEqual(
    report.hypotheses.map((h) => ({
      kind: h.kind,
      subject: subjectText(h.subject),
      score: `score ${shown(h.score, 2)}`,
    })),
  );
  expect(await page.getByTestId('caveats').locator('li').count()).toBe(report.caveats.length);
  expect(await page.getByTestId('shap-bars').locator('g[data-feature]').count()).toBe(
    report.charts.shap?.length ?? 0,
  );
  if (report.charts.segments.length > 0) {
    const table = page.getByTestId('rca-segments');
    expect(await table.locator('tbody tr').count()).toBe(report.charts.segments.length);
    // excess errors n × (now − baseline) as a signed count; shares of the net rise never above 100 %
    const segs = report.charts.segments;
    expect(await table.getByTestId('excess').allTextContents()).toEqual(
      segs.map((x) =>
        x.rateBaseline === null ? expect.any(String) : `+${Math.round(x.n * (x.rateNow - x.rateBaseline))}`,
      ),
    );
    const shares = await table.getByTestId('share').allTextContents();
    expect(shares).toEqual(
      segs.map((x) =>
        x.shareExplained === null
          ? '—'
          : x.shareExplained > 1
            ? '100.0%*'
            : `${(100 * x.shareExplained).toFixed(1)}%`,
      ),
    );
    expect(await page.getByTestId('beyond-net-rise').count()).toBe(
      segs.some((x) => (x.shareExplained ?? 0) > 1) ? 1 : 0,
    );
  }
  // no percentage on the page passes 100 % (shares, rates; the evidence figures included)
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text keeps table cells apart
  const percents = [...(await page.locator('main').innerText()).matchAll(/(\d+(?:\.\d+)?)\s?%/g)];
  expect(percents.length).toBeGreaterThan(0);
  expect(Math.max(...percents.map((m) => Number(m[1])))).toBeLessThanOrEqual(100);
  expect(await page.locator('.uplot').count()).toBeGreaterThanOrEqual(1); // the metric with its windows
  await page.getByTestId('timeline').locator('svg').first().waitFor();
  await expectTimelineWithinData(page);
}

/** The RCA timeline spans the days with metric points: its ticks stay inside, its last bars end at the axis end. */
async function expectTimelineWithinData(page: Page): Promise<void> {
  const cat = await api<{ fromMs: number; toMs: number }>('/v1/models/synth/metrics/catalog');
  const firstDay = isoDay(cat.fromMs).slice(5);
  const lastDay = isoDay(cat.toMs).slice(5); // the day of the last window start
  const timeline = page.getByTestId('timeline');
  const ticks = await timeline.locator('text.tl-tick').allTextContents();
  expect(ticks.length).toBeGreaterThan(1);
  for (const t of ticks) {
    expect(t >= firstDay).toBe(true); // one year of MM-DD: compared as text
    expect(t <= lastDay).toBe(true);
  }
  const axisEnd = Number(await timeline.locator('line.tl-axis').getAttribute('x2'));
  const barsEnd = await timeline
    .locator('[data-lane] rect:has(title)')
    .evaluateAll((rects) =>
      Math.max(...rects.map((r) => Number(r.getAttribute('x')) + Number(r.getAttribute('width')))),
    );
  expect(Math.abs(barsEnd - axisEnd)).toBeLessThan(1); // bars are drawn 0.5 px wider (no seams)
}

beforeAll(async () => {
  if (!existsSync('/usr/bin/chromium'))
    throw new Error('the dashboard tests need Chromium: apt-get install -y chromium');
  mkdirSync(shots, { recursive: true });
  webDir = mkdtempSync(join(tmpdir(), 'plb-webdist-'));
  profile = mkdtempSync(join(tmpdir(), 'plb-chromium-'));
  await build({ configFile: resolve('web/vite.config.ts'), logLevel: 'warn', build: { outDir: webDir } });
  process.env.PLUMBLINE_WEB_DIR = webDir;
  server = await startSeededServer();
  // a fresh temp profile (playwright passes it as --user-data-dir)
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    viewport: { width: 1360, height: 900 },
    colorScheme: 'light',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  delete process.env.PLUMBLINE_WEB_DIR;
  rmSync(webDir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

describe('dashboard in Chromium', () => {
  it('serves the app at / with SPA fallback for browsers and JSON 404s for the API', async () => {
    const index = await fetch(`${server.url}/some/client/route`, { headers: { accept: 'text/html' } });
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<div id="root">');
    const api404 = await fetch(`${server.url}/v1/nope`, { headers: { accept: 'text/html' } });
    expect(api404.status).toBe(404);
    expect(((await api404.json()) as { error: { code: string } }).error.code).toBe('PLB_ERR_NOT_FOUND');
    expect((await fetch(`${server.url}/v2/what`)).status).toBe(404);
    expect((await fetch(`${server.url}/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it('models page: health at a glance with the API numbers', async () => {
    const page = await open('/#/');
    const row = page.locator('tr[data-model="synth"]');
    await row.waitFor();
    const q = '/v1/models/synth/metrics?window=day&metric=';
    const traffic = lastOk((await api<{ points: ApiPoint[] }>(`${q}throughput`)).points);
    const cbpe = lastOk((await api<{ points: ApiPoint[] }>(`${q}cbpe.roc_auc`)).points);
    const auc = lastOk((await api<{ points: ApiPoint[] }>(`${q}roc_auc`)).points);
    expect(await row.getByTestId('traffic').textContent()).toBe(shown(traffic, 4));
    expect(await row.getByTestId('cbpe').textContent()).toBe(shown(cbpe, 3));
    expect(await row.getByTestId('auc').textContent()).toBe(shown(auc, 3));
    await expect.poll(() => row.locator('.badge').textContent()).toContain('critical'); // the seeded AUC drop fires
    expect(await row.textContent()).toContain('x 0.'); // the drifted feature is the worst
    const empty = page.locator('tr[data-model="empty"]');
    expect(await empty.locator('.badge').textContent()).toBe('no data');
    expect(await empty.getByTestId('traffic').textContent()).toBe('—');
    await shot(page, '01-models');
    await page.close();
  });

  it('model page: performance, heatmap, quality, infra, segments; drill down to a feature and a segment', async () => {
    const page = await open('/#/models/synth');
    await page.getByTestId('heatmap').waitFor();
    await page.getByTestId('segments').waitFor();
    const auc = lastOk((await api<{ points: ApiPoint[] }>('/v1/models/synth/metrics?metric=roc_auc')).points);
    expect(await page.getByTestId('perf-latest').textContent()).toBe(shown(auc, 4));
    expect(await page.locator('.uplot').count()).toBeGreaterThanOrEqual(5);
    const firing = (await api<{ alerts: unknown[] }>('/v1/alerts?state=firing&model=synth')).alerts;
    expect(await page.getByTestId('model-alerts').locator('strong').textContent()).toBe(
      `${firing.length} firing:`,
    );
    // x drifts from day 5 on: its cells are marked, z's are not
    expect(await page.locator('[data-feature="x"]', { hasText: '●' }).count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('[data-feature="z"]', { hasText: '●' }).count()).toBe(0);
    // infra: the seeded rejects (two hours) as the API counts them
    const rejects = (
      await api<{ points: (ApiPoint & { detail: { rejected: number } })[] }>(
        '/v1/models/synth/metrics?metric=ingest_reject_rate&window=hour',
      )
    ).points;
    expect(rejects.map((p) => p.detail.rejected)).toEqual([30, 6]);
    await expect
      .poll(() => page.getByTestId('rejects').locator('figcaption').textContent())
      .toContain(`(${rejects.reduce((t, p) => t + p.detail.rejected, 0)} in range)`);
    expect(await page.getByTestId('rejects').locator('.uplot').count()).toBe(1);
    await shot(page, '02-model');

    // segment table: sort by Δ, then click the worst row to filter the page
    await page.getByRole('button', { name: /Δ vs reference/ }).click();
    await page.getByRole('button', { name: /Δ vs reference/ }).click();
    const first = page.getByTestId('segments').locator('tbody tr').first();
    expect(await first.locator('th').textContent()).toBe('cat=b'); // the seeded degradation
    await first.click();
    await expect.poll(() => page.url()).toContain('segment=cat%3Db');
    await expect.poll(() => page.locator('h1').textContent()).toBe('synth · cat=b');
    await page.getByTestId('perf-latest').waitFor();
    expect(await page.getByTestId('segments').locator('tbody tr').first().locator('th').textContent()).toBe(
      'cat=b',
    );
    await shot(page, '03-model-segment');

    await page.locator('[data-feature="x"]').last().click();
    await expect.poll(() => page.url()).toContain('/features/x');
    await page.getByTestId('feature-table').waitFor();
    const drift = (await api<{ points: ApiPoint[] }>('/v1/models/synth/metrics?metric=drift.x')).points;
    const effects = await page.getByTestId('effect').allTextContents();
    expect(effects).toEqual(drift.map((p) => shown(p.value, 4)));
    // the reference vs the last day, on the API's bins and counts
    const lastDay = (drift.at(-1) as unknown as RawPoint).window.startMs;
    type Dist = { bins: { label: string; current: number }[]; current: { n: number } };
    const dist = await api<Dist>(
      `/v1/models/synth/features/x/distribution?from=${lastDay}&to=${lastDay + DAY}`,
    );
    // without a range the route answers that same day (the page asks so, with its series)
    expect(await api<Dist>('/v1/models/synth/features/x/distribution')).toEqual(dist);
    // serving warms every feature of the reference (the model `empty` has none); answers unchanged
    expect(await warmReferenceColumns(server.store)).toBe(3);
    expect(await api<Dist>('/v1/models/synth/features/x/distribution')).toEqual(dist);
    await page.getByTestId('distribution').waitFor();
    expect(await page.getByTestId('distribution').getByTestId('bin').count()).toBe(dist.bins.length);
    expect(await page.getByTestId('current-n').textContent()).toBe(shown(dist.current.n, 4));
    await expectReadableAxes(page, 'x');
    await shot(page, '04-feature');
    // a row of the drift table selects its day (URL state)
    const firstDay = (drift[0] as unknown as RawPoint).window.startMs;
    await page.getByTestId('feature-table').locator('tbody tr').first().locator('th a').click();
    await expect.poll(() => page.url()).toContain(`day=${isoDay(firstDay)}`);
    const early = await api<Dist>(
      `/v1/models/synth/features/x/distribution?from=${firstDay}&to=${firstDay + DAY}`,
    );
    await expect
      .poll(() => page.locator('figcaption', { hasText: `Reference vs ${isoDay(firstDay)}` }).count())
      .toBe(1);
    expect(await page.getByTestId('current-n').textContent()).toBe(shown(early.current.n, 4));
    // x drifts from day 5 on: the last day's bins differ from the first day's
    expect(early.bins.map((b) => b.current)).not.toEqual(dist.bins.map((b) => b.current));
    // a categorical feature: one bar pair per category
    await page.goto(`${server.url}/#/models/synth/features/cat?day=${isoDay(lastDay)}`);
    const cats = await api<Dist>(
      `/v1/models/synth/features/cat/distribution?from=${lastDay}&to=${lastDay + DAY}`,
    );
    await page.getByTestId('distribution').waitFor();
    expect(await page.getByTestId('distribution').getByTestId('bin').count()).toBe(cats.bins.length);
    expect(cats.bins.map((b) => b.label).sort()).toEqual(['a', 'b', 'c', 'd']);
    await expectReadableAxes(page, 'cat (category)');
    expect(await page.getByTestId('distribution').getByTestId('x-tick').allTextContents()).toEqual(
      cats.bins.map((b) => b.label),
    );
    await shot(page, '20-feature-categorical');
    await page.close();
  });

  it('model page: the timeline and the charts share one time axis (same plot left, right and range)', async () => {
    const page = await open('/#/models/synth');
    const axis = page.getByTestId('timeline').locator('line.tl-axis');
    await axis.waitFor({ state: 'attached' }); // a horizontal line has no height: never "visible"
    const chart = page.locator('figure', { hasText: 'Score drift' }).locator('.u-over');
    await chart.waitFor();
    const box = (el: { getBoundingClientRect(): { x: number; width: number } }) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, width: r.width };
    };
    const a = await axis.evaluate(box);
    const c = await chart.evaluate(box);
    // within 1.5 px (sub-pixel layout); both span [from, to) of the view
    expect(Math.abs(a.x - c.x)).toBeLessThan(1.5);
    expect(Math.abs(a.x + a.width - (c.x + c.width))).toBeLessThan(1.5);
    await shot(page, '19-model-timeline-aligned');
    await page.close();
  });

  it('a model without metric points says how to get them', async () => {
    const page = await open('/#/models/empty');
    expect(await page.getByTestId('no-points').textContent()).toContain(
      'plumbline monitor run --model empty',
    );
    await page.close();
  });

  it('hour window and a narrowed range come from the URL', async () => {
    const page = await open('/#/models/synth?window=hour&from=2001-01-06&to=2001-01-07');
    await page.getByTestId('segments').waitFor();
    expect(await page.locator('select').nth(0).inputValue()).toBe('hour');
    expect(await page.locator('input[type="date"]').first().inputValue()).toBe('2001-01-06');
    await page.locator('figcaption', { hasText: 'Throughput (events per hour)' }).waitFor();
    await shot(page, '05-model-hour');
    await page.close();
  });

  it('alert page: the levels an escalated alert reached and its notifications, as the API has them', async () => {
    interface Detail {
      alert: {
        id: string;
        escalation: { policy: string | null; level: number; sinceMs: number } | null;
        episodes: {
          firedAtMs: number;
          notifiedAtMs: number | null;
          escalations: { level: number; atMs: number }[];
        }[];
      };
      notifications: {
        id: string;
        atMs: number;
        reason: string;
        status: string;
        targets: string[];
        alerts: { fingerprint: string; escalationLevel: number }[];
      }[];
      deliveries: { notificationId: string; target: string; ok: boolean }[];
    }
    const all = (await api<{ alerts: { id: string; escalation: { level: number } | null }[] }>('/v1/alerts'))
      .alerts;
    const escalated = all.filter((a) => (a.escalation?.level ?? 0) > 0);
    expect(escalated).toHaveLength(1); // the AUC alert of the whole population (its segments are inhibited)
    const id = escalated[0].id;
    const detail = await api<Detail>(`/v1/alerts/${id}`);
    const { alert } = detail;
    const episode = alert.episodes.at(-1);
    // the seed's clock: levels 1 and 2 reached 15 and 15 + 30 minutes after level 0
    const MIN = 60_000;
    const reached = episode?.escalations.map((x) => [x.level, x.atMs - (episode?.escalations[0].atMs ?? 0)]);
    expect(reached).toEqual([
      [0, 0],
      [1, 15 * MIN],
      [2, 45 * MIN],
    ]);
    expect(alert.escalation).toMatchObject({ policy: escalationPolicy.id, level: 2 });

    const page = await open(`/#/alerts/${id}`);
    await page.getByTestId('escalation-now').waitFor();
    await page.getByTestId('escalation').waitFor();
    const since = utc(alert.escalation?.sinceMs ?? 0);
    await expect
      .poll(() => page.getByTestId('escalation-now').textContent())
      .toContain(`At level 2 of policy oncall since ${since}. Policy oncall: L0 team-chat (15 min) → L1`);
    const cells = (rows: ReturnType<Page['locator']>) =>
      rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    // one row per level reached, newest episode first, targets from the policy
    const steps = alert.episodes
      .toReversed()
      .flatMap((e) => [
        [
          utc(e.firedAtMs),
          'L0',
          utc(e.notifiedAtMs ?? e.firedAtMs),
          escalationPolicy.levels[0].targets.join(', '),
        ],
        ...e.escalations
          .filter((x) => x.level > 0)
          .map((x) => [
            utc(e.firedAtMs),
            `L${x.level}`,
            utc(x.atMs),
            escalationPolicy.levels[x.level].targets.join(', '),
          ]),
      ]);
    expect(
      (await cells(page.getByTestId('escalation').locator('tbody tr'))).map((r) => r.slice(0, 4)),
    ).toEqual(steps);
    // notifications newest first: reason, the level this alert was at, targets and each delivery
    const sent = detail.notifications.toReversed().toSorted((x, y) => y.atMs - x.atMs); // log order breaks ties
    expect(sent.map((n) => n.reason)).toEqual(['escalated', 'escalated', 'new']);
    expect(await cells(page.getByTestId('notification'))).toEqual(
      sent.map((n) => [
        utc(n.atMs),
        n.reason,
        n.status,
        `L${n.alerts.find((x) => x.fingerprint === id)?.escalationLevel}`,
        n.targets.join(', '),
        detail.deliveries
          .filter((d) => d.notificationId === n.id)
          .sort((x, y) => n.targets.indexOf(x.target) - n.targets.indexOf(y.target)) // in the targets' order
          .map((d) => `${d.target} ${d.ok ? 'ok' : 'failed'}`)
          .join('; '),
      ]),
    );
    expect(sent.map((n) => n.targets.join())).toEqual(['eng-lead', 'oncall-pager', 'team-chat']);
    await shot(page, '21-alert-escalated');
    await page.close();
  });

  it('alerts: list, filter, open, acknowledge and silence', async () => {
    const page = await open('/#/alerts');
    const table = page.getByTestId('alerts-table');
    await table.waitFor();
    const active = (await api<{ alerts: { id: string }[] }>('/v1/alerts')).alerts;
    // the compact list (the pages' form) holds the same alerts without history and episodes
    const compact = (await api<{ alerts: Record<string, unknown>[] }>('/v1/alerts?compact=1')).alerts;
    expect(compact.map((a) => a.id)).toEqual(active.map((a) => a.id));
    expect(compact.some((a) => 'history' in a || 'episodes' in a)).toBe(false);
    expect(await table.locator('tbody tr').count()).toBe(active.length);
    await page.getByLabel('State').selectOption('all');
    await expect.poll(() => page.url()).toContain('state=all');
    const all = (await api<{ alerts: { id: string }[] }>('/v1/alerts?state=all')).alerts;
    await expect.poll(() => table.locator('tbody tr').count()).toBe(all.length);
    await page.getByLabel('State').selectOption('firing');
    await page.getByLabel('Severity').selectOption('critical');
    await expect.poll(() => page.url()).toContain('severity=critical');
    await page.getByLabel('Model').selectOption('synth');
    await expect.poll(() => page.url()).toContain('model=synth');
    const critical = (await api<{ alerts: { id: string }[] }>('/v1/alerts?state=firing&severity=critical'))
      .alerts;
    await expect.poll(() => table.locator('tbody tr').count()).toBe(critical.length);
    await shot(page, '06-alerts');

    await table.locator('tbody tr').first().locator('th a').click();
    await page.getByTestId('evidence').waitFor();
    const id = decodeURIComponent(page.url().split('#/alerts/')[1]);
    const alert = (await api<{ alert: { evidence: { value: number } } }>(`/v1/alerts/${id}`)).alert;
    expect(await page.getByTestId('evidence-value').textContent()).toBe(shown(alert.evidence.value, 4));
    // escalation steps: one L0 row per episode plus one per level reached; notifications as the API's
    const detail = await api<{
      alert: { episodes: { escalations: { level: number }[] }[] };
      notifications: unknown[];
    }>(`/v1/alerts/${id}`);
    const steps = detail.alert.episodes.reduce(
      (t, e) => t + 1 + e.escalations.filter((x) => x.level > 0).length,
      0,
    );
    await page.getByTestId('escalation-now').waitFor();
    expect(await page.getByTestId('escalation').locator('tbody tr').count()).toBe(Math.min(20, steps));
    expect(await page.getByTestId('notification').count()).toBe(detail.notifications.length);
    await shot(page, '07-alert');

    const ackForm = page.locator('form.act').first();
    await ackForm.getByLabel('Your name').fill('ana');
    await ackForm.getByLabel('Note').fill('looking');
    await ackForm.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => page.getByTestId('action-status').textContent()).toBe('Acknowledge: done');
    expect((await api<{ alert: { ack: { by: string } } }>(`/v1/alerts/${id}`)).alert.ack.by).toBe('ana');
    await page.getByRole('button', { name: 'Acknowledged by ana' }).waitFor();

    const silenceForm = page.locator('form.act').nth(1);
    await silenceForm.getByLabel('Your name').fill('ana');
    await silenceForm.getByLabel('Comment').fill('deploy');
    await silenceForm.getByRole('button', { name: 'Silence' }).click();
    await expect.poll(() => page.getByTestId('action-status').textContent()).toBe('Silence: done');
    const silences = (await api<{ silences: { createdBy: string; comment: string }[] }>('/v1/silences'))
      .silences;
    expect(silences).toMatchObject([{ createdBy: 'ana', comment: 'deploy' }]);
    await shot(page, '08-alert-acted');
    await page.close();
  });

  it('model page: the version and tag timeline shows the seeded deploy with the API shares', async () => {
    const page = await open('/#/models/synth');
    const timeline = page.getByTestId('timeline');
    await timeline.locator('[data-lane]').first().waitFor(); // the figure shows before its data
    const lanes = await timeline
      .locator('[data-lane]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-lane')));
    expect(lanes).toEqual(['version', 'region']);
    const deploy = isoDay(D0 + DEPLOY_DAY * DAY);
    const events = await page.getByTestId('timeline-events').locator('li').allTextContents();
    expect(events).toContain(`${deploy}: version=v2 starts taking traffic`);
    expect(events.filter((e) => e.includes('starts taking traffic'))).toHaveLength(1); // regions share all days
    // the share drawn for v2 on the deploy day is the API's v2 / (v1 + v2)
    const q = '/v1/models/synth/metrics?metric=throughput&window=day&version=';
    const at = (pts: { window: { startMs: number }; value: number }[]) =>
      pts.find((p) => p.window.startMs === D0 + DEPLOY_DAY * DAY)?.value ?? 0;
    const v1 = at((await api<{ points: [] }>(`${q}v1`)).points);
    const v2 = at((await api<{ points: [] }>(`${q}v2`)).points);
    expect(v2).toBeGreaterThan(0);
    const title = `version=v2 ${deploy}: ${((100 * v2) / (v1 + v2)).toFixed(1)}% of traffic`;
    expect(await timeline.locator('title', { hasText: title }).count()).toBe(1);
    await timeline.screenshot({ path: join(shots, '12-model-timeline.png') });
    await page.close();
  });

  it("alert page links to the alert's stored RCA, which shows the API's hypotheses", async () => {
    const alerts = (
      await api<{ alerts: { id: string; rcaId: string | null; labels: Record<string, string> }[] }>(
        '/v1/alerts?state=all',
      )
    ).alerts;
    const a = alerts.find((x) => x.rcaId && x.labels.segment === 'all' && x.labels.metric === 'roc_auc');
    expect(a).toBeDefined();
    // the list links the report too
    const list = await open('/#/alerts?state=all');
    await list.getByTestId('alerts-table').waitFor();
    expect(await list.locator(`tr[data-alert="${a?.id}"] a[href$="/rca/${a?.rcaId}"]`).textContent()).toBe(
      'report',
    );
    await list.close();
    const page = await open(`/#/alerts/${a?.id}`);
    await page.getByTestId('rca-link').click();
    await expect.poll(() => page.url()).toContain(`/rca/${a?.rcaId}`);
    const report = await api<ApiReport>(`/v1/models/synth/rca/${a?.rcaId}`);
    await expectReport(page, report);
    await shot(page, '13-rca-of-alert');
    await page.close();
  });

  it('RCA list: lists the stored reports; Run RCA posts, names the planted segment and keeps the report', async () => {
    const page = await open('/#/models/synth/rca');
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET') posts.push(r.url());
    });
    const list = page.getByTestId('rca-list');
    await list.waitFor();
    const before = (await api<{ reports: unknown[] }>('/v1/models/synth/rca')).reports;
    expect(await list.locator('tbody tr').count()).toBe(before.length);
    await shot(page, '14-rca-list');
    // day 5 (labels flipped in cat=b) against day 4
    await page.getByLabel('Day').fill(isoDay(D0 + 5 * DAY));
    await page.getByRole('button', { name: 'Run RCA' }).click();
    await page.getByTestId('hypotheses').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.url()).toMatch(/\/rca\/[0-9a-f-]{36}$/);
    const id = page.url().split('/rca/')[1];
    const report = await api<ApiReport>(`/v1/models/synth/rca/${id}`);
    expect(report.hypotheses[0]).toMatchObject({ kind: 'segment', subject: { segment: { cat: 'b' } } });
    await expectReport(page, report);
    expect(await page.getByTestId('rca-summary').textContent()).toContain('cat=b');
    expect(posts).toHaveLength(1); // one run, even with React's development double effects
    expect((await api<{ reports: unknown[] }>('/v1/models/synth/rca')).reports).toHaveLength(
      before.length + 1,
    );
    await shot(page, '15-rca-run');
    await page.close();
  });

  it('keyboard: tab reaches the navigation and the theme toggle switches to dark', async () => {
    const page = await open('/#/models/synth');
    await page.getByTestId('heatmap').waitFor();
    await page.keyboard.press('Tab'); // skip link
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Plumbline');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    await page.getByTestId('segments').waitFor();
    await shot(page, '09-model-dark');
    await page.goto(`${server.url}/#/`);
    await page.locator('tr[data-model="synth"]').waitFor();
    await shot(page, '10-models-dark');
    const report = (await api<{ reports: { id: string }[] }>('/v1/models/synth/rca')).reports[0];
    await page.goto(`${server.url}/#/models/synth/rca/${report.id}`);
    await page.getByTestId('timeline').locator('svg').first().waitFor();
    await shot(page, '17-rca-dark');
    await page.goto(`${server.url}/#/alerts`);
    await page.getByTestId('alerts-table').waitFor();
    await shot(page, '18-alerts-dark');
    await page.close();
  });

  it('no console errors on any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});

describe("GET /v1/models/{m}/metrics/bulk (the dashboard's many-series route)", () => {
  const single = async (q: string) =>
    JSON.parse((await server.app.inject({ url: `/v1/models/synth/metrics?${q}` })).body).points as RawPoint[];
  const bulk = async (q: string) => {
    const r = await server.app.inject({ url: `/v1/models/synth/metrics/bulk?${q}` });
    return { status: r.statusCode, body: JSON.parse(r.body) };
  };
  const strip = (pts: RawPoint[]) => pts.map(({ version: _v, detail: _d, ...p }) => p);

  it('answers the same points as one request per series, by metric, segment and version', async () => {
    const { body } = await bulk('metrics=roc_auc,throughput,drift.*&window=day&segment=all');
    const names = body.series.map((s: { metric: string }) => s.metric);
    expect(names).toEqual(['drift.cat', 'drift.x', 'drift.z', 'roc_auc', 'throughput']);
    for (const s of body.series)
      expect(s.points).toEqual(strip(await single(`metric=${s.metric}&window=day&segment=all`)));
    const segs = (await bulk('metrics=throughput&window=day&segment=*')).body.series;
    expect(segs.map((s: { segment: string }) => s.segment)).toContain('cat=b');
    for (const s of segs)
      expect(s.points).toEqual(
        strip(await single(`metric=throughput&window=day&segment=${encodeURIComponent(s.segment)}`)),
      );
    const versions = (await bulk('metrics=throughput&window=day&version=each')).body.series;
    expect(versions.map((s: { version: string }) => s.version)).toEqual(['v1', 'v2']);
    expect(versions[1].points).toEqual(strip(await single('metric=throughput&window=day&version=v2')));
  });

  it('keeps details only where asked (and only the keys asked), and packs columns', async () => {
    const { body } = await bulk('metrics=drift.x&window=day&detail=drift.&detailKeys=test,material');
    const reference = await single('metric=drift.x&window=day');
    expect(body.series[0].points.map((p: { detail: unknown }) => p.detail)).toEqual(
      reference.map((p) => ({ test: p.detail?.test, material: p.detail?.material })),
    );
    const cols = (await bulk('metrics=roc_auc&window=day&format=columns')).body.series[0].columns;
    const pts = await single('metric=roc_auc&window=day');
    expect(cols.startMs).toEqual(pts.map((p) => p.window.startMs));
    expect(cols.value).toEqual(pts.map((p) => p.value));
    expect(cols.detail).toBeUndefined();
    const tail = (await bulk('metrics=roc_auc&window=day&segment=*&last=2')).body.series;
    for (const x of tail)
      expect(x.points).toEqual(
        strip(await single(`metric=roc_auc&window=day&segment=${encodeURIComponent(x.segment)}`)).slice(-2),
      );
  });

  it('rejects a bad query with the field named', async () => {
    for (const [q, field] of [
      ['metrics=,&window=day', 'metrics'],
      ['metrics=roc_auc&window=week', 'window'],
      ['metrics=roc_auc&from=yesterday', 'from'],
      ['metrics=roc_auc&last=0', 'last'],
    ]) {
      const r = await bulk(q);
      expect(r.status).toBe(400);
      expect(r.body.error.issues.map((i: { field: string }) => i.field)).toContain(field);
    }
    expect((await bulk('window=day')).status).toBe(400);
    expect((await server.app.inject({ url: '/v1/models/nope/metrics/bulk?metrics=x' })).statusCode).toBe(404);
  });
});

describe('dashboard with API keys', () => {
  it('asks for a key, keeps it for the session and sends it as a Bearer token', async () => {
    const { secret, key } = createApiKey(['read'], Date.UTC(2001, 0, 9));
    await server.store.insertApiKey(key);
    const app = await buildApp({ store: server.store, requireAuth: true });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${url}/#/`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await shot(page, '11-login');
      await page.getByLabel('API key').fill(secret);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('tr[data-model="synth"]').waitFor();
      expect(await page.evaluate("sessionStorage.getItem('plumbline.apiKey')")).toBe(secret);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await app.close();
    }
  });
});

describe('dashboard with a read-only key', () => {
  it('GET /v1/auth/whoami gives the scopes; a read key sees no write action, an admin key does', async () => {
    const read = createApiKey(['read'], Date.UTC(2001, 0, 9));
    const admin = createApiKey(['admin'], Date.UTC(2001, 0, 9));
    await server.store.insertApiKey(read.key);
    await server.store.insertApiKey(admin.key);
    const app = await buildApp({ store: server.store, requireAuth: true });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const whoami = async (secret?: string) =>
      fetch(`${url}/v1/auth/whoami`, secret ? { headers: { authorization: `Bearer ${secret}` } } : {});
    expect((await whoami()).status).toBe(401);
    expect(await (await whoami(read.secret)).json()).toEqual({
      auth: true,
      keyId: read.key.id,
      scopes: ['read'],
    });
    expect(((await (await whoami(admin.secret)).json()) as { scopes: string[] }).scopes).toEqual(['admin']);

    const alert = (
      await api<{ alerts: { id: string; rcaId: string | null; labels: Record<string, string> }[] }>(
        '/v1/alerts?state=all',
      )
    ).alerts.find((a) => a.rcaId && a.labels.metric === 'roc_auc');
    const page = await context.newPage();
    page.setDefaultTimeout(15_000); // a failing step names its locator before the test's timeout
    const errors: string[] = [];
    const posts: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (r.method() !== 'GET') posts.push(r.url());
    });
    const signIn = async (secret: string) => {
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('API key').fill(secret);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };
    try {
      await page.goto(`${url}/#/alerts/${alert?.id}`);
      await signIn(read.secret);
      await page.getByTestId('evidence').waitFor();
      await expect.poll(() => page.getByTestId('scopes').textContent()).toBe('key: read');
      expect(await page.getByTestId('read-only').textContent()).toContain('read-only');
      expect(await page.getByRole('button', { name: /Acknowledge/ }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Silence' }).count()).toBe(0);
      expect(await page.locator('form.act').count()).toBe(0);
      expect(await page.getByTestId('run-rca').count()).toBe(0);
      expect(await page.getByTestId('rca-link').count()).toBe(1); // reading a report is fine
      await shot(page, '16-alert-read-only');

      await page.goto(`${url}/#/models/synth`);
      await page.getByTestId('segments').waitFor();
      await page.getByTestId('timeline').locator('svg').first().waitFor();
      expect(await page.getByTestId('run-rca').count()).toBe(0);
      await page.goto(`${url}/#/models/synth/rca`);
      await page.getByTestId('rca-list').waitFor();
      expect(await page.getByRole('button', { name: 'Run RCA' }).count()).toBe(0);
      // a pasted run link does not run for a read key
      await page.goto(`${url}/#/models/synth/rca/run?from=2001-01-06T00:00:00Z&to=2001-01-07T00:00:00Z`);
      await page.getByTestId('rca-forbidden').waitFor();
      expect(posts).toEqual([]);

      // leave the run link first: signed in as admin there, the page would run it
      await page.goto(`${url}/#/alerts/${alert?.id}`);
      await page.getByTestId('evidence').waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await signIn(admin.secret);
      await page.getByTestId('evidence').waitFor();
      await expect.poll(() => page.getByTestId('scopes').textContent()).toBe('key: admin');
      expect(await page.locator('form.act').count()).toBe(2);
      await page.goto(`${url}/#/models/synth`);
      await page.getByTestId('run-rca').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await app.close();
    }
  });
});

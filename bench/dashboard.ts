/**
 * Dashboard speed against the full demo (2.5 M events): serves a copy of a demo's DuckDB file with the
 * built dashboard on loopback (metric points in memory, as `plumbline serve` and the served demo keep
 * them), opens every page in Debian's Chromium (a fresh context each, so nothing is cached; each page
 * `--runs` times, default 5, pages interleaved) and prints, per page and for its median run: its API
 * requests (count, bytes, slowest), the time until the last API answer (from navigation start, and the
 * span of the API calls alone), the slowest run's, first paint and first contentful paint (Performance
 * API), and the longest main-thread task. Then it hovers a chart of 3 600 hourly points and reports the
 * slowest frame. `--verbose` lists each page's three slowest requests (`--all`: every request). No
 * anchor: the targets are the issue's (data < 300 ms, first paint < 1 s, charts responsive with 4 000+
 * points).
 *
 *   node --import tsx bench/dashboard.ts [--db /tmp/h4-demo/plumbline.duckdb] [--runs 5] [--verbose [--all]]
 *
 * The database defaults to the first of /tmp/h4-demo, /tmp/demo1 (plumbline.duckdb) that exists; it is
 * copied first; on the copy the bench evaluates the alert rules (so that the alert pages have alerts) and
 * runs one RCA (timed apart: seconds of SHAP and slice search) whose stored report's page is measured.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import { AlertManager } from '../src/alerts/manager.js';
import { buildApp } from '../src/server/app.js';
import { warmReferenceColumns } from '../src/server/routes/feature-distribution.js';
import { createDuckDbStore } from '../src/store/duckdb/duckdb-store.js';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const candidates = [arg('--db'), '/tmp/h4-demo/plumbline.duckdb', '/tmp/demo1/plumbline.duckdb'];
const source = candidates.find((p): p is string => p !== undefined && existsSync(p));
if (!source) {
  process.stdout.write(
    'skipped: no demo database (run: node --import tsx src/cli/main.ts demo --no-serve --out /tmp/h4-demo)\n',
  );
  process.exit(0);
}
if (!existsSync('/usr/bin/chromium')) {
  process.stdout.write('skipped: needs Chromium (apt-get install -y chromium)\n');
  process.exit(0);
}

/** One page's figures. */
interface PageFigures {
  page: string;
  requests: number;
  kib: number;
  slowestMs: number;
  apiSpanMs: number;
  dataMs: number;
  fpMs: number;
  fcpMs: number;
  longestTaskMs: number;
  /** The three slowest API requests (ms, path). */
  top: [number, string, number, number][];
  /** Σ of the page's requests replayed one at a time (warm). */
  serverMs: number;
}

const dir = mkdtempSync(join(tmpdir(), 'plb-bench-dash-'));
const db = join(dir, 'demo.duckdb');
copyFileSync(source, db);
const webDir = join(dir, 'web');
await build({ configFile: resolve('web/vite.config.ts'), logLevel: 'warn', build: { outDir: webDir } });
process.env.PLUMBLINE_WEB_DIR = webDir;
const store = await createDuckDbStore({ path: db });
const model = (await store.queryModels())[0]?.id;
if (!model) throw new Error(`no model in ${source}`);
// the alert rules without the server's RCA-on-firing hook (hundreds of alerts: minutes of RCA)
await new AlertManager({ store, logger: { info: () => {}, warn: () => {} } }).evaluate(model);
// as `plumbline serve` and the served demo: metric points in memory, references profiled (before the measures)
const loadStart = performance.now();
await store.keepMetricPointsInMemory();
const loadMs = performance.now() - loadStart;
const warmStart = performance.now();
const profiled = await warmReferenceColumns(store);
const warmMs = performance.now() - warmStart;
const app = await buildApp({ store });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const alerts = (await (await fetch(`${url}/v1/alerts?state=all`)).json()) as { alerts: { id: string }[] };
const catalog = (await (await fetch(`${url}/v1/models/${model}/metrics/catalog`)).json()) as {
  metrics: { metric: string }[];
  toMs: number;
};
const feature = catalog.metrics.find((m) => m.metric.startsWith('drift.'))?.metric.slice(6) ?? '';
// one stored RCA report (a labelled day a week before the end against the day before), for its page
const rcaDay = Math.floor(catalog.toMs / 86_400_000) * 86_400_000 - 7 * 86_400_000;
const rcaStart = performance.now();
const stored = (
  await app.inject({
    method: 'POST',
    url: `/v1/models/${model}/rca`,
    payload: { from: rcaDay, to: rcaDay + 86_400_000 },
  })
).json() as { id: string };
const rcaMs = performance.now() - rcaStart;

const m = encodeURIComponent(model);
const pages: { name: string; path: string; ready: string }[] = [
  { name: 'models', path: '/#/', ready: '[data-testid="models-table"]' },
  { name: 'model (day)', path: `/#/models/${m}`, ready: '[data-testid="segments"]' },
  { name: 'model (hour, all range)', path: `/#/models/${m}?window=hour`, ready: '[data-testid="segments"]' },
  {
    name: 'model (segment)',
    path: `/#/models/${m}?segment=tags.pipeline%3Dv2`,
    ready: '[data-testid="segments"]',
  },
  { name: 'feature', path: `/#/models/${m}/features/${feature}`, ready: '[data-testid="feature-table"]' },
  { name: 'alerts', path: '/#/alerts?state=all', ready: '[data-testid="alerts-table"]' },
  ...(alerts.alerts.length > 0
    ? [{ name: 'alert', path: `/#/alerts/${alerts.alerts[0].id}`, ready: '[data-testid="history"]' }]
    : []),
  { name: 'rca list', path: `/#/models/${m}/rca`, ready: '[data-testid="rca-list"]' },
  {
    name: 'rca report (stored)',
    path: `/#/models/${m}/rca/${stored.id}`,
    ready: '[data-testid="timeline"] svg',
  },
];

/** Waits until no API request has been in flight for `quietMs`. */
async function settle(pending: () => number, quietMs = 400, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  let quietSince = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (pending() > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function measure(browser: Browser, p: (typeof pages)[number]): Promise<PageFigures> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  let inFlight = 0;
  page.on('request', (r) => {
    if (r.url().includes('/v1/')) inFlight++;
  });
  const done = (r: { url: () => string }) => {
    if (r.url().includes('/v1/')) inFlight--;
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  // the longest main-thread task (Long Tasks API), kept on window for the final read
  await page.addInitScript(`window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });`);
  await page.goto(url + p.path);
  await page.locator(p.ready).first().waitFor({ timeout: 120_000 });
  await settle(() => inFlight);
  const f = (await page.evaluate(`(() => {
    const api = performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/'));
    const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
    return {
      requests: api.length,
      bytes: api.reduce((a, e) => a + e.encodedBodySize, 0),
      slowest: Math.max(0, ...api.map((e) => e.responseEnd - e.startTime)),
      urls: api.map((e) => e.name),
      top: api
        .map((e) => [e.responseEnd - e.startTime, e.name.replace(location.origin, ''), e.startTime, e.encodedBodySize])
        .sort((a, b) => b[0] - a[0]),
      first: Math.min(...api.map((e) => e.startTime)),
      last: Math.max(0, ...api.map((e) => e.responseEnd)),
      fp: paint['first-paint'] ?? NaN,
      fcp: paint['first-contentful-paint'] ?? NaN,
      longest: window.__longest,
    };
  })()`)) as {
    requests: number;
    bytes: number;
    slowest: number;
    first: number;
    last: number;
    fp: number;
    fcp: number;
    longest: number;
    top: [number, string, number, number][];
    urls: string[];
  };
  await context.close();
  // the same requests again from Node, one at a time (warm): the server's own time for the page
  let serverMs = 0;
  for (const u of f.urls) {
    const t0 = performance.now();
    await (await fetch(u)).arrayBuffer();
    serverMs += performance.now() - t0;
  }
  return {
    page: p.name,
    requests: f.requests,
    kib: f.bytes / 1024,
    slowestMs: f.slowest,
    apiSpanMs: f.requests > 0 ? f.last - f.first : 0,
    dataMs: f.last,
    fpMs: f.fp,
    fcpMs: f.fcp,
    longestTaskMs: f.longest,
    top: f.top,
    serverMs,
  };
}

/**
 * Hovers the throughput chart of the hourly model page: frame times over 120 cursor moves (ms). With
 * `split` > 1 the page's hourly series come `split` points an hour (each hour's point repeated at
 * even steps, answered by the bench in place of the server's batch answer): the same chart code on
 * `split` times the points (the demo has 3 600 hours; the issue asks for 4 000+ points per series).
 */
async function hoverFrames(
  browser: Browser,
  split = 1,
): Promise<{ points: number; slowestFrameMs: number; meanFrameMs: number }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  let points = 0;
  await page.route('**/v1/models/*/metrics/batch?**', async (route) => {
    const body = (await (await route.fetch()).json()) as {
      results: { window: string; series: { metric: string; columns: Record<string, unknown[]> }[] }[];
    };
    for (const r of body.results.filter((x) => x.window === 'hour'))
      for (const series of r.series) {
        const c = series.columns;
        const n = c.startMs.length;
        for (const [k, col] of Object.entries(c))
          c[k] = Array.from({ length: n * split }, (_, i) =>
            k === 'startMs'
              ? (col[Math.floor(i / split)] as number) + ((i % split) * 3_600_000) / split
              : col[Math.floor(i / split)],
          );
        if (series.metric === 'throughput') points = c.startMs.length;
      }
    await route.fulfill({ json: body });
  });
  await page.goto(`${url}/#/models/${m}?window=hour`);
  await page
    .locator('figure', { hasText: 'Throughput (events per hour)' })
    .locator('.u-over')
    .waitFor({ timeout: 120_000 });
  // in-page: one synthetic mousemove per animation frame, timing frame to frame (16.7 ms is a 60 Hz display
  // keeping up; no CDP round trips in the measurement)
  const frames = (await page.evaluate(`new Promise((done) => {
    const fig = [...document.querySelectorAll('figure')].find((f) => f.textContent.includes('Throughput (events per hour)'));
    const over = fig.querySelector('.u-over');
    fig.scrollIntoView();
    const r = over.getBoundingClientRect();
    const out = [];
    let i = 0;
    let last = performance.now();
    const step = () => {
      const now = performance.now();
      if (i > 0) out.push(now - last);
      last = now;
      if (i === 120) return done(out);
      over.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + ((i + 0.5) / 120) * r.width, clientY: r.top + r.height / 2, bubbles: true }));
      i++;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  })`)) as number[];
  await context.close();
  return {
    points,
    slowestFrameMs: Math.max(...frames),
    meanFrameMs: frames.reduce((a, b) => a + b, 0) / frames.length,
  };
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  process.stdout.write(
    `dashboard on ${source} (copy), model ${model}, ${url}; metric points loaded into memory in ${loadMs.toFixed(0)} ms, ${profiled} reference columns profiled in ${warmMs.toFixed(0)} ms\n`,
  );
  // one warm-up load (DuckDB page cache, Chromium's first start), not reported
  await measure(browser, pages[1]);
  // each page `runs` times (fresh contexts), pages interleaved; a row is the run with the median
  // "data at", and the worst run's "data at" is printed beside it
  const runs = Number(arg('--runs') ?? 5);
  const samples: PageFigures[][] = pages.map(() => []);
  for (let r = 0; r < runs; r++)
    for (const [i, p] of pages.entries()) samples[i].push(await measure(browser, p));
  const rows = samples.map((xs) => {
    const sorted = [...xs].sort((a, b) => a.dataMs - b.dataMs);
    return { ...sorted[Math.floor((sorted.length - 1) / 2)], worstDataMs: sorted[sorted.length - 1].dataMs };
  });
  const pad = (s: string, n: number) => s.padStart(n);
  const head = [
    'page',
    'req',
    'KiB',
    'slowest',
    'api span',
    'data at',
    'worst',
    'FP',
    'FCP',
    'long task',
    'server Σ',
  ];
  const w = [26, 5, 8, 9, 9, 9, 7, 7, 7, 10, 10];
  process.stdout.write(`${head.map((h, i) => (i === 0 ? h.padEnd(w[0]) : pad(h, w[i]))).join('')}\n`);
  for (const r of rows) {
    const cells = [
      r.page.padEnd(w[0]),
      pad(String(r.requests), w[1]),
      pad(r.kib.toFixed(0), w[2]),
      pad(r.slowestMs.toFixed(0), w[3]),
      pad(r.apiSpanMs.toFixed(0), w[4]),
      pad(r.dataMs.toFixed(0), w[5]),
      pad(r.worstDataMs.toFixed(0), w[6]),
      pad(r.fpMs.toFixed(0), w[7]),
      pad(r.fcpMs.toFixed(0), w[8]),
      pad(r.longestTaskMs.toFixed(0), w[9]),
      pad(r.serverMs.toFixed(0), w[10]),
    ];
    process.stdout.write(`${cells.join('')}\n`);
  }
  process.stdout.write(
    `(ms, the median run of ${runs} by "data at", each in a fresh browser context; "data at" = last API answer since\n navigation start, "worst" = the slowest run's; "api span" = first request to last answer; "server Σ" = the\n same requests replayed one at a time from Node, warm)\n`,
  );
  if (args.includes('--verbose'))
    for (const r of rows)
      for (const [ms, path, at, bytes] of args.includes('--all') ? r.top : r.top.slice(0, 3))
        process.stdout.write(
          `  ${r.page}: ${ms.toFixed(0).padStart(5)} ms from ${at.toFixed(0).padStart(4)} ${(bytes / 1024).toFixed(0).padStart(5)} KiB ${path.slice(0, 150)}\n`,
        );
  process.stdout.write(
    `one on-demand RCA (POST /v1/models/${model}/rca, ${new Date(rcaDay).toISOString().slice(0, 10)} vs the day before): ${rcaMs.toFixed(0)} ms\n`,
  );
  for (const split of [1, 4]) {
    const hover = await hoverFrames(browser, split);
    process.stdout.write(
      `hover over a ${hover.points}-point chart (${split === 1 ? 'the hourly throughput' : `each hour split in ${split}`}): mean frame ${hover.meanFrameMs.toFixed(1)} ms, slowest ${hover.slowestFrameMs.toFixed(1)} ms (120 moves, one per frame)\n`,
    );
  }
} finally {
  await browser.close();
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

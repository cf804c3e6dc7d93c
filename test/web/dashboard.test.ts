/**
 * Browser tests of the dashboard: Debian's Chromium (playwright-core) against a real server seeded
 * with a small synthetic model run through the monitor and the alert rules. Every page renders
 * without console errors and shows the API's numbers; drill-downs, acknowledge, silence, the theme
 * toggle and the API-key login work. Screenshots go to test-output/screenshots/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/auth.js';
import { type SeededServer, startSeededServer } from './seed.js';

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
    await shot(page, '04-feature');
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

  it('alerts: list, filter, open, acknowledge and silence', async () => {
    const page = await open('/#/alerts');
    const table = page.getByTestId('alerts-table');
    await table.waitFor();
    const active = (await api<{ alerts: { id: string }[] }>('/v1/alerts')).alerts;
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

    await table.locator('tbody tr').first().getByRole('link').click();
    await page.getByTestId('evidence').waitFor();
    const id = decodeURIComponent(page.url().split('#/alerts/')[1]);
    const alert = (await api<{ alert: { evidence: { value: number } } }>(`/v1/alerts/${id}`)).alert;
    expect(await page.getByTestId('evidence-value').textContent()).toBe(shown(alert.evidence.value, 4));
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
    await page.close();
  });

  it('no console errors on any page', () => {
    expect(consoleErrors).toEqual([]);
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

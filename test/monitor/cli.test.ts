import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  registerMetrics,
  registerMonitor,
  renderSeriesTable,
  sparkline,
} from '../../src/cli/commands/metrics.js';
import { createDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { contractEvent, contractModel } from '../../src/store/store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-cli-monitor-'));
const db = join(dir, 'cli.duckdb');
const DAY = 86_400_000;
const T0 = Date.UTC(2001, 0, 1, 10);

beforeAll(async () => {
  const store = await createDuckDbStore({ path: db });
  await store.insertModel(contractModel);
  // 2 days of 300 events, every event labelled
  const events = Array.from({ length: 600 }, (_, i) =>
    contractEvent(i, { timeMs: T0 + Math.floor(i / 300) * DAY + (i % 300) * 60_000 }),
  );
  await store.insertPredictions(contractModel.id, events);
  await store.insertLabels(
    contractModel.id,
    events.map((e, i) => ({
      eventId: e.eventId,
      label: i % 5 === 0 ? '1' : '0',
      timeMs: e.timeMs + 3_600_000,
    })),
    T0 + 3 * DAY,
  );
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerMetrics(program);
  registerMonitor(program);
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  await program.parseAsync(['node', 'plumbline', ...args]);
  vi.restoreAllMocks();
  return out;
}

describe('plumbline monitor run / plumbline metrics', () => {
  it('runs a pass, then prints a series as JSON and as a table with a sparkline', async () => {
    const result = JSON.parse(
      await run(['monitor', 'run', '--model', contractModel.id, '--db', db, '--quiet']),
    );
    expect(result).toMatchObject({ model: contractModel.id, daysComputed: 2, referenceId: null });
    const json = JSON.parse(
      await run([
        'metrics',
        '--model',
        contractModel.id,
        '--db',
        db,
        '--metric',
        'accuracy',
        '--format',
        'json',
      ]),
    );
    expect(json).toHaveLength(1);
    expect(json[0].points.map((p: { n: number }) => p.n)).toEqual([300, 300]);
    const table = await run([
      'metrics',
      '--model',
      contractModel.id,
      '--db',
      db,
      '--metric',
      'accuracy,throughput',
    ]);
    expect(table).toMatch(/^metric\s+segment/);
    expect(table).toContain('accuracy');
    expect(table).toMatch(/[▁▂▃▄▅▆▇█]{2}/);
  });
  it('names an unknown metric and the known ones', async () => {
    await expect(
      run(['metrics', '--model', contractModel.id, '--db', db, '--metric', 'acuracy']),
    ).rejects.toThrow(/no metric acuracy/);
  });
});

describe('sparkline and table', () => {
  it.each([
    [[0, 1, 2, 3, 4, 5, 6, 7], '▁▂▃▄▅▆▇█'],
    [[1, null, 1], '▄ ▄'],
    [[], ''],
    [[null], ' '],
  ])('%j → %s', (values, expected) => {
    expect(sparkline(values)).toBe(expected);
  });
  it('lists the points of a single series with flags', () => {
    const text = renderSeriesTable([
      {
        metric: 'drift.x',
        segment: 'all',
        window: 'day',
        version: '*',
        points: [
          {
            window: { size: 'day', startMs: 0 },
            value: 0.01,
            ciLow: null,
            ciHigh: null,
            n: 500,
            status: 'ok',
            estimated: false,
          },
          {
            window: { size: 'day', startMs: DAY },
            value: 0.3,
            ciLow: null,
            ciHigh: null,
            n: 500,
            status: 'ok',
            estimated: false,
            significant: true,
          },
        ],
      },
    ]);
    expect(text).toContain('1970-01-02  0.3  n=500  ◀ significant');
    expect(text).toContain('1 significant');
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backtestAlerts } from '../../src/alerts/backtest.js';
import { registerAlerts } from '../../src/cli/commands/alerts.js';
import { callApi } from '../../src/server/call.js';
import { createDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { modelBody } from '../server/helpers.js';
import { DAY, point, rule, series } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-alerts-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let out: string[] = [];
beforeEach(() => {
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const run = async (...args: string[]) => {
  const program = new Command().exitOverride();
  registerAlerts(program);
  await program.parseAsync(['node', 'plumbline', 'alerts', ...args]);
  return out.join('');
};

describe('backtestAlerts', () => {
  it('replays window by window: episodes with fired and resolved times, like live evaluation', () => {
    const r = backtestAlerts({
      rules: [rule({ keepFiringForMs: DAY })],
      points: series([0.8, 0.6, 0.6, 0.8, 0.8, 0.6]),
    });
    expect(r.steps).toBe(6);
    expect(r.alerts.map((a) => [a.firedAt.slice(0, 10), a.resolvedAt?.slice(0, 10) ?? null])).toEqual([
      ['2001-01-03', '2001-01-06'],
      ['2001-01-07', null],
    ]);
    expect(r.alerts[0].escalation).toEqual([{ level: 0, at: '2001-01-03T00:00:00.000Z' }]);
  });
  it('from/to bound the windows', () => {
    const pts = series([0.6, 0.8, 0.6]);
    const r = backtestAlerts({
      rules: [rule()],
      points: pts,
      fromMs: pts[1].window.startMs,
      toMs: pts[2].window.startMs,
    });
    expect(r.alerts).toEqual([]);
    expect(r.steps).toBe(1);
  });
});

describe('plumbline alerts', () => {
  it('backtest prints a table and JSON from a DuckDB file; list/silence/ack go through the API', async () => {
    const db = join(dir, 'bt.duckdb');
    await callApi({ db }, 'POST', '/v1/models', modelBody);
    const store = await createDuckDbStore({ path: db });
    const m = modelBody.id;
    await store.insertMetricPoints(
      [0.8, 0.7, 0.7, 0.8].map((v, day) =>
        point({ model: m, day, value: v, ciLow: v - 0.02, ciHigh: v + 0.02, baseline: 0.8 }),
      ),
    );
    await store.close();
    const rulesFile = join(dir, 'rules.yaml');
    writeFileSync(
      rulesFile,
      'rules:\n  - id: auc\n    kind: performance\n    metric: roc_auc\n    condition: { kind: significant, direction: down }\n    severity: critical\n',
    );
    const table = await run('backtest', '--model', m, '--rules', rulesFile, '--db', db);
    expect(table).toContain('rule  scope');
    expect(table).toMatch(/auc\s+roc_auc all v=\*\s+critical\s+2001-01-03T00:00\s+2001-01-05T00:00/);
    out = [];
    const json = JSON.parse(
      await run('backtest', '--model', m, '--rules', rulesFile, '--db', db, '--format', 'json'),
    );
    expect(json).toMatchObject({ model: m, points: 4, steps: 4 });
    expect(json.alerts).toHaveLength(1);
    out = [];
    const incidentsFile = join(dir, 'scenario.json');
    writeFileSync(
      incidentsFile,
      JSON.stringify({ incidents: [{ kind: 'label-flip', from: '2001-01-02', to: '2001-01-03' }] }),
    );
    const withIncidents = await run(
      'backtest',
      '--model',
      m,
      '--rules',
      rulesFile,
      '--db',
      db,
      '--incidents',
      incidentsFile,
    );
    expect(withIncidents).toMatch(/0\s+label-flip\s+true\s+1440\s+auc roc_auc all\s+model-wide/);
    expect(withIncidents).toContain('false alarms: 0 (0 notified)');
    out = [];
    const bounded = JSON.parse(
      await run(
        'backtest',
        '--model',
        m,
        '--rules',
        rulesFile,
        '--db',
        db,
        '--format',
        'json',
        '--from',
        '2001-01-03',
      ),
    );
    expect(bounded.points).toBe(2);
    await expect(
      run('backtest', '--model', m, '--rules', join(dir, 'missing.yaml'), '--db', db),
    ).rejects.toMatchObject({
      code: 'PLB_ERR_FILE_NOT_FOUND',
    });
    writeFileSync(
      join(dir, 'bad.yaml'),
      'rules:\n  - id: x\n    metric: a\n    for: soon\n    condition: { kind: significant }\n',
    );
    await expect(
      run('backtest', '--model', m, '--rules', join(dir, 'bad.yaml'), '--db', db),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'rules[0].for' })],
    });

    // Live path on the same file: rules, evaluate, list, silence, ack.
    await callApi({ db }, 'POST', `/v1/models/${m}/alerts/evaluate`);
    out = [];
    const list = await run('list', '--db', db);
    expect(list).toMatch(/firing\s+critical\s+flights:performance/);
    out = [];
    const listed = JSON.parse(await run('list', '--db', db, '--format', 'json', '--state', 'all'));
    const firing = listed.alerts.find((a: { status: string }) => a.status === 'firing');
    out = [];
    expect(JSON.parse(await run('ack', firing.id, '--by', 'ana', '--db', db)).alert.ack.by).toBe('ana');
    out = [];
    expect(JSON.parse(await run('show', firing.id, '--db', db)).alert.history.length).toBeGreaterThan(1);
    out = [];
    const silence = JSON.parse(
      await run('silence', 'alertname=flights:performance', '--duration', '1h', '--by', 'ana', '--db', db),
    );
    expect(silence.silence.matchers).toEqual([{ name: 'alertname', op: '=', value: 'flights:performance' }]);
  });
});

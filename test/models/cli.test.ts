/**
 * `plumbline predict` and `plumbline shap` end to end on the oracle fixtures: CSV files written
 * from the fixture rows (empty field = missing), read through DuckDB, scored and explained.
 * Tolerances as the model tests: 1e-5 on margins and contributions against XGBoost 1.7.4.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPredict } from '../../src/cli/commands/predict.js';
import { runShap } from '../../src/cli/commands/shap.js';
import { writeNativeModel } from '../../src/models/formats/native.js';
import { readXgboostJson } from '../../src/models/formats/xgboost-json.js';
import { type Cases, fixtureText, readCases } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'plumbline-predict-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

function writeCsv(name: string, header: string[], cases: Cases, rows = cases.rows.length): string {
  const lines = [header.join(',')];
  for (const row of cases.rows.slice(0, rows))
    lines.push(row.map((v) => (v === null ? '' : String(v))).join(','));
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function capture(
  run: (io: { stdout: { write(t: string): unknown } }) => Promise<void>,
): Promise<string> {
  let out = '';
  await run({ stdout: { write: (t: string) => (out += t) } });
  return out;
}

describe('plumbline predict', () => {
  it.each(['d3-500', 'cat', 'd5-100-unnamed'])('scores %s like XGBoost (1e-5)', async (name) => {
    const cases = readCases(`xgb-${name}.cases.json`);
    // The unnamed model matches by position, so the header names do not matter.
    const header = cases.featureNames ?? cases.rows[0].map((_, j) => `col${j}`);
    const data = writeCsv(`${name}.csv`, header, cases);
    const out = await capture((io) =>
      runPredict({ model: join(FIXTURES, `xgb-${name}.model.json`), data, format: 'json' }, io),
    );
    const { probabilities, margins } = JSON.parse(out);
    expect(margins).toHaveLength(cases.margins.length);
    cases.margins.forEach((m, i) => {
      expect(Math.abs(margins[i] - m)).toBeLessThan(1e-5);
      expect(Math.abs(probabilities[i] - cases.probabilities[i])).toBeLessThan(1e-6);
    });
  });

  it('reads a native model and a LightGBM model, and writes CSV to --out', async () => {
    const cases = readCases('lgb-small.cases.json');
    const data = writeCsv('lgb.csv', ['age', 'income', 'city', 'flag'], cases);
    const out = join(dir, 'scores.csv');
    await runPredict({ model: join(FIXTURES, 'lgb-small.model.txt'), data, format: 'csv', out });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('probability,margin');
    lines.slice(1).forEach((line, i) => {
      expect(Math.abs(Number(line.split(',')[1]) - cases.margins[i])).toBeLessThan(1e-12);
    });
    const native = join(dir, 'model.plumbline.json');
    writeFileSync(native, writeNativeModel(readXgboostJson(fixtureText('xgb-d3-500.model.json'))));
    const xcases = readCases('xgb-d3-500.cases.json');
    const xdata = writeCsv('x.csv', xcases.featureNames!, xcases);
    const { margins } = JSON.parse(
      await capture((io) => runPredict({ model: native, data: xdata, format: 'json' }, io)),
    );
    expect(Math.abs(margins[7] - xcases.margins[7])).toBeLessThan(1e-5);
  });

  it('names the missing feature columns and unreadable models', async () => {
    const cases = readCases('xgb-d3-500.cases.json');
    const header = [...cases.featureNames!];
    header[2] = 'renamed';
    const data = writeCsv('missing.csv', header, cases, 5);
    const model = join(FIXTURES, 'xgb-d3-500.model.json');
    await expect(runPredict({ model, data, format: 'json' })).rejects.toThrow(
      'the data lacks model feature: x2',
    );
    await expect(runPredict({ model: data, data, format: 'json' })).rejects.toThrow('unknown model format');
    await expect(runPredict({ model: join(dir, 'nope.json'), data, format: 'json' })).rejects.toThrow(
      'cannot read model file',
    );
  });
});

describe('plumbline shap', () => {
  it('returns XGBoost pred_contribs (1e-5) for the first --rows rows', async () => {
    const cases = readCases('xgb-cat.cases.json');
    const data = writeCsv('cat-shap.csv', cases.featureNames!, cases);
    const out = await capture((io) =>
      runShap({ model: join(FIXTURES, 'xgb-cat.model.json'), data, format: 'json', rows: 25 }, io),
    );
    const { baseValue, features, values } = JSON.parse(out);
    expect(features).toEqual(cases.featureNames);
    expect(values).toHaveLength(25);
    values.forEach((row: number[], r: number) => {
      row.forEach((v, j) => {
        expect(Math.abs(v - cases.contribs![r][j])).toBeLessThan(1e-5 + 1e-5 * Math.abs(v));
      });
      expect(Math.abs(baseValue - cases.contribs![r][row.length])).toBeLessThan(1e-5);
    });
  });

  it('computes interventional SHAP against --background, adding up to the margin', async () => {
    const cases = readCases('xgb-d3-500.cases.json');
    const data = writeCsv('bg-data.csv', cases.featureNames!, cases, 6);
    const background = writeCsv('bg.csv', cases.featureNames!, { ...cases, rows: cases.rows.slice(50, 70) });
    const out = await capture((io) =>
      runShap({ model: join(FIXTURES, 'xgb-d3-500.model.json'), data, format: 'json', background }, io),
    );
    const { baseValue, values } = JSON.parse(out);
    const meanBackground = cases.margins.slice(50, 70).reduce((s, m) => s + m, 0) / 20;
    expect(Math.abs(baseValue - meanBackground)).toBeLessThan(1e-5);
    values.forEach((row: number[], r: number) => {
      expect(Math.abs(row.reduce((s, v) => s + v, 0) + baseValue - cases.margins[r])).toBeLessThan(1e-5);
    });
  });

  it('runs through the real command line and writes CSV', () => {
    const cases = readCases('lgb-small.cases.json');
    const data = writeCsv('lgb-shap.csv', ['age', 'income', 'city', 'flag'], cases, 10);
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts'),
        'shap',
        '--model',
        join(FIXTURES, 'lgb-small.model.txt'),
        '--data',
        data,
        '--format',
        'csv',
      ],
      { encoding: 'utf8' },
    );
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('age,income,city,flag,base_value');
    expect(lines).toHaveLength(11);
    lines.slice(1).forEach((line, r) => {
      const v = line.split(',').map(Number);
      expect(Math.abs(v.reduce((s, x) => s + x, 0) - cases.margins[r])).toBeLessThan(1e-9);
    });
  });
});

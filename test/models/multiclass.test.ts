/**
 * Multiclass (XGBoost multi:softprob, 3 classes) against XGBoost 1.7.4
 * (scripts/fixtures-xgboost.py): per-class margins within 1e-5, softmax probabilities within 1e-6,
 * per-class pred_contribs within 1e-5 (+1e-5 relative) — XGBoost computes in float32.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPredict } from '../../src/cli/commands/predict.js';
import { compileModel } from '../../src/models/compile.js';
import { readNativeModel, writeNativeModel } from '../../src/models/formats/native.js';
import { readXgboostJson } from '../../src/models/formats/xgboost-json.js';
import { predictClassMargins, predictClassProbabilities, predictMargins } from '../../src/models/predict.js';
import { treeShap } from '../../src/models/shap/linear.js';
import { fixtureText, toColumns } from './fixtures.js';

interface MultiCases {
  rows: (number | null)[][];
  classMargins: number[][];
  classProbabilities: number[][];
  classContribs: number[][][];
}

const cases = JSON.parse(fixtureText('xgb-multi.cases.json')) as MultiCases;
const model = readXgboostJson(fixtureText('xgb-multi.model.json'));
const compiled = compileModel(model);
const cols = toColumns(cases.rows);

describe('multiclass XGBoost model', () => {
  it('reads 3 classes with one class per tree', () => {
    expect(model.objective).toBe('multi:softprob');
    expect(model.numClass).toBe(3);
    expect(model.treeClass!.slice(0, 6)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('predicts per-class margins and softmax probabilities', () => {
    const margins = predictClassMargins(compiled, cols);
    const probs = predictClassProbabilities(compiled, cols);
    cases.classMargins.forEach((row, r) => {
      row.forEach((m, k) => {
        expect(Math.abs(margins[k][r] - m)).toBeLessThan(1e-5);
        expect(Math.abs(probs[k][r] - cases.classProbabilities[r][k])).toBeLessThan(1e-6);
      });
    });
    expect(() => predictMargins(compiled, cols)).toThrow('use predictClassMargins');
  });

  it('explains each class like pred_contribs, adding up to that class margin', () => {
    const margins = predictClassMargins(compiled, cols);
    for (let k = 0; k < 3; k++) {
      const { baseValue, values } = treeShap(compiled, cols, { classIndex: k });
      values.forEach((phi, r) => {
        const expected = cases.classContribs[r][k];
        phi.forEach((v, j) => {
          expect(Math.abs(v - expected[j])).toBeLessThan(1e-5 + 1e-5 * Math.abs(expected[j]));
        });
        expect(Math.abs(baseValue - expected[phi.length])).toBeLessThan(1e-5);
        expect(Math.abs(phi.reduce((s, v) => s + v, 0) + baseValue - margins[k][r])).toBeLessThan(1e-9);
      });
    }
    expect(() => treeShap(compiled, cols, { classIndex: 3 })).toThrow(RangeError);
  });

  it('round-trips through the native format', () => {
    const back = readNativeModel(writeNativeModel(model));
    expect(Array.from(predictClassMargins(compileModel(back), cols)[2])).toEqual(
      Array.from(predictClassMargins(compiled, cols)[2]),
    );
  });

  it('is scored by plumbline predict with one probability per class', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'plumbline-multi-'));
    const data = join(dir, 'rows.csv');
    const lines = [Array.from({ length: 8 }, (_, j) => `x${j}`).join(',')];
    for (const row of cases.rows) lines.push(row.map((v) => (v === null ? '' : String(v))).join(','));
    writeFileSync(data, `${lines.join('\n')}\n`);
    let out = '';
    const model = join(import.meta.dirname, '..', 'fixtures', 'xgb-multi.model.json');
    await runPredict({ model, data, format: 'json' }, { stdout: { write: (t: string) => (out += t) } });
    rmSync(dir, { recursive: true, force: true });
    const { probabilities } = JSON.parse(out);
    probabilities.forEach((row: number[], r: number) => {
      row.forEach((p, k) => {
        expect(Math.abs(p - cases.classProbabilities[r][k])).toBeLessThan(1e-6);
      });
    });
  });
});

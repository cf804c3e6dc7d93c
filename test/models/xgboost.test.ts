/**
 * XGBoost JSON import and prediction against XGBoost 1.7.4 (scripts/fixtures-xgboost.py).
 * Tolerance: 1e-5 absolute on the margin scale (XGBoost accumulates leaf values in float32),
 * 1e-6 on probabilities.
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/models/compile.js';
import { readXgboostJson } from '../../src/models/formats/xgboost-json.js';
import { predictMargins, predictProbabilities, predictRow } from '../../src/models/predict.js';
import { fixtureText, readCases, toColumns, toRow } from './fixtures.js';

const MODELS = ['d3-500', 'd8-50', 'd5-100-unnamed', 'cat'];

describe.each(MODELS)('xgboost model %s', (name) => {
  const model = readXgboostJson(fixtureText(`xgb-${name}.model.json`));
  const compiled = compileModel(model);
  const cases = readCases(`xgb-${name}.cases.json`);

  it('predicts XGBoost margins and probabilities within 1e-5 / 1e-6', () => {
    const margins = predictMargins(compiled, toColumns(cases.rows));
    const probs = predictProbabilities(compiled, toColumns(cases.rows));
    cases.margins.forEach((m, i) => {
      expect(Math.abs(margins[i] - m)).toBeLessThan(1e-5);
      expect(Math.abs(probs[i] - cases.probabilities[i])).toBeLessThan(1e-6);
    });
  });

  it('scores single rows exactly like the batch path', () => {
    const margins = predictMargins(compiled, toColumns(cases.rows));
    cases.rows.forEach((row, i) => {
      expect(predictRow(compiled, toRow(row))).toBe(margins[i]);
    });
  });
});

describe('xgboost reader', () => {
  it('reads the 3.1+ base_score array string like the plain form', () => {
    const plain = readXgboostJson(fixtureText('xgb-cat.model.json'));
    const b31 = readXgboostJson(fixtureText('xgb-cat-b31.model.json'));
    expect(fixtureText('xgb-cat-b31.model.json')).toContain('"base_score":"[3E-1]"');
    expect(b31.baseMargin).toBe(plain.baseMargin);
    expect(plain.baseMargin).toBeCloseTo(Math.log(0.3 / 0.7), 6);
  });

  it('names features f0… and matches by position when the file has no names', () => {
    const model = readXgboostJson(fixtureText('xgb-d5-100-unnamed.model.json'));
    expect(model.positional).toBe(true);
    expect(model.features[2].name).toBe('f2');
  });

  it('reads categorical features and their splits', () => {
    const model = readXgboostJson(fixtureText('xgb-cat.model.json'));
    expect(model.features.map((f) => f.type)).toEqual([
      'numeric',
      'numeric',
      'numeric',
      'numeric',
      'categorical',
      'categorical',
    ]);
    expect(model.trees.some((t) => t.categories.some((c) => c !== null && c.length > 1))).toBe(true);
  });

  it('names the tree, node and problem for a corrupt file', () => {
    const json = JSON.parse(fixtureText('xgb-d3-500.model.json'));
    json.learner.gradient_booster.model.trees[3].left_children[0] = 99;
    expect(() => readXgboostJson(JSON.stringify(json))).toThrow('tree 3 node 0: left child 99 out of range');
    json.learner.gradient_booster.model.trees[3].left_children[0] = 1;
    json.learner.gradient_booster.model.trees[2].split_indices[0] = 42;
    expect(() => readXgboostJson(JSON.stringify(json))).toThrow(
      'tree 2 node 0: split feature 42 out of range',
    );
    expect(() => readXgboostJson('{"learner": ')).toThrow('not valid JSON');
    json.learner.gradient_booster.model.trees[2].split_indices[0] = 0;
    json.learner.gradient_booster.model.trees[5].tree_param.size_leaf_vector = '3';
    expect(() => readXgboostJson(JSON.stringify(json))).toThrow(
      'vector-leaf multi-target trees are not supported',
    );
  });
});

describe('feature matching', () => {
  const compiled = compileModel(readXgboostJson(fixtureText('xgb-d3-500.model.json')));
  const cases = readCases('xgb-d3-500.cases.json');
  const cols = toColumns(cases.rows);

  it('matches a record of columns by name, in any order, ignoring extra columns', () => {
    const record: Record<string, Float64Array> = { extra: new Float64Array(cols[0].length) };
    for (let j = cols.length - 1; j >= 0; j--) record[`x${j}`] = cols[j];
    expect(Array.from(predictMargins(compiled, record))).toEqual(Array.from(predictMargins(compiled, cols)));
  });

  it('names every missing feature and rejects ragged columns', () => {
    const record = Object.fromEntries(cols.map((col, j) => [`x${j}`, col]));
    delete record.x1;
    delete record.x6;
    expect(() => predictMargins(compiled, record)).toThrow('missing feature columns: x1, x6');
    expect(() => predictMargins(compiled, cols.slice(0, 3))).toThrow(
      'the model needs 8 feature columns, got 3',
    );
    const ragged = cols.slice();
    ragged[4] = ragged[4].subarray(1);
    expect(() => predictMargins(compiled, ragged)).toThrow('column x4 has 149 rows, expected 150');
    expect(() => predictRow(compiled, new Float64Array(3))).toThrow(RangeError);
  });
});

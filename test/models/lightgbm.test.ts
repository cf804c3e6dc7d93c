/**
 * LightGBM text import and prediction against the independent Python evaluator of LightGBM's
 * `Tree::Decision` (scripts/fixtures-lightgbm.py). Both compute in float64 and sum the same leaf
 * values, so margins agree within 1e-12 absolute; probabilities within 1e-12. TreeSHAP is checked
 * against the oracle's brute-force Shapley values (subset enumeration over LightGBM's data counts), 1e-9.
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/models/compile.js';
import { readLightgbmText } from '../../src/models/formats/lightgbm-text.js';
import { predictMargins, predictProbabilities, predictRow } from '../../src/models/predict.js';
import { treeShap } from '../../src/models/shap/linear.js';
import { fixtureText, readCases, toColumns, toRow } from './fixtures.js';

describe.each(['small', 'random'])('lightgbm model %s', (name) => {
  const model = readLightgbmText(fixtureText(`lgb-${name}.model.txt`));
  const compiled = compileModel(model);
  const cases = readCases(`lgb-${name}.cases.json`);

  it('predicts the evaluator margins and probabilities within 1e-12', () => {
    const margins = predictMargins(compiled, toColumns(cases.rows));
    const probs = predictProbabilities(compiled, toColumns(cases.rows));
    cases.margins.forEach((m, i) => {
      expect(Math.abs(margins[i] - m)).toBeLessThan(1e-12);
      expect(Math.abs(probs[i] - cases.probabilities[i])).toBeLessThan(1e-12);
      expect(predictRow(compiled, toRow(cases.rows[i]))).toBe(margins[i]);
    });
  });

  it('explains rows like the brute-force Shapley oracle over LightGBM data counts (1e-9)', () => {
    const contribs = cases.contribs!;
    const { values, baseValue } = treeShap(compiled, toColumns(cases.rows.slice(0, contribs.length)));
    const nf = compiled.featureNames.length;
    contribs.forEach((expected, r) => {
      for (let j = 0; j < nf; j++) expect(Math.abs(values[r][j] - expected[j])).toBeLessThan(1e-9);
      expect(Math.abs(baseValue - expected[nf])).toBeLessThan(1e-9);
    });
  });

  it('explains each row with SHAP values that add up to the margin (1e-9)', () => {
    const { values, baseValue } = treeShap(compiled, toColumns(cases.rows.slice(0, 40)));
    const margins = predictMargins(compiled, toColumns(cases.rows.slice(0, 40)));
    values.forEach((phi, r) => {
      expect(Math.abs(phi.reduce((s, v) => s + v, 0) + baseValue - margins[r])).toBeLessThan(1e-9);
    });
  });
});

describe('lightgbm reader', () => {
  const text = fixtureText('lgb-small.model.txt');

  it('reads names, categorical features and the single-leaf tree', () => {
    const model = readLightgbmText(text);
    expect(model.features.map((f) => `${f.name}:${f.type}`)).toEqual([
      'age:numeric',
      'income:numeric',
      'city:categorical',
      'flag:numeric',
    ]);
    expect(model.trees[2].left).toEqual([-1]);
    expect(model.trees[2].value[0]).toBe(-0.012);
    // Tree 0 node 1: codes {1, 3, 32, 40} go left in LightGBM, so right here.
    expect(model.trees[0].categories[1]).toEqual([1, 3, 32, 40]);
  });

  it('names the tree, node and problem for a corrupt file', () => {
    expect(() => readLightgbmText(text.replace('left_child=1 -1 -3 -2', 'left_child=1 -1 -3 -9'))).toThrow(
      'tree 0 node 3: left child -9 out of range',
    );
    expect(() => readLightgbmText(text.replace('decision_type=8 0', 'decision_type=8'))).toThrow(
      'tree 1: "decision_type" has 1 values (expected 2)',
    );
    expect(() =>
      readLightgbmText(text.replace('objective=binary sigmoid:1', 'objective=multiclass num_class:3')),
    ).toThrow('unsupported objective');
    expect(() => readLightgbmText(text.replace('split_feature=0 2 1 3', 'split_feature=0 2 1 9'))).toThrow(
      'tree 0 node 3: split feature 9 out of range',
    );
  });
});

/**
 * TreeSHAP: Linear TreeSHAP and the path-dependent reference against brute-force Shapley values
 * (subset enumeration) on random trees, local accuracy, and XGBoost 1.7.4's `pred_contribs`.
 * Tolerances: 1e-9 absolute between exact float64 algorithms; 1e-5 (+1e-5 relative) against
 * XGBoost, which computes in float32.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/models/compile.js';
import { readXgboostJson } from '../../src/models/formats/xgboost-json.js';
import { predictMargins, predictRow } from '../../src/models/predict.js';
import { bruteForceInterventionalShap, bruteForcePathShap } from '../../src/models/shap/brute-force.js';
import { interventionalShap } from '../../src/models/shap/interventional.js';
import { createShapExplainer, treeShap } from '../../src/models/shap/linear.js';
import { pathDependentShap } from '../../src/models/shap/path-dependent.js';
import { fixtureText, readCases, toColumns, toRow } from './fixtures.js';
import { RANDOM_FEATURES, randomModel, randomRows } from './random-trees.js';

const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);

function columnsOf(rows: Float64Array[]): Float64Array[] {
  return Array.from({ length: RANDOM_FEATURES }, (_, j) => Float64Array.from(rows, (r) => r[j]));
}

describe('path-dependent TreeSHAP on random trees', () => {
  it('linear and reference algorithms equal brute-force Shapley values and add up to the margin', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        (seed, nTrees, depth, zero) => {
          const c = compileModel(randomModel(seed, nTrees, depth, zero));
          const rows = randomRows(seed ^ 0x5eed, 4);
          const fast = treeShap(c, columnsOf(rows));
          const ref = pathDependentShap(c, rows);
          const generic = createShapExplainer(c, { generic: true });
          expect(fast.baseValue).toBeCloseTo(ref.baseValue, 12);
          rows.forEach((row, r) => {
            const brute = bruteForcePathShap(c, row);
            const phi = new Float64Array(RANDOM_FEATURES);
            generic.explainRow(row, phi);
            for (let j = 0; j < RANDOM_FEATURES; j++) {
              expect(Math.abs(fast.values[r][j] - brute[j])).toBeLessThan(1e-9);
              expect(Math.abs(phi[j] - brute[j])).toBeLessThan(1e-9);
              expect(Math.abs(ref.values[r][j] - brute[j])).toBeLessThan(1e-9);
            }
            expect(Math.abs(sum(fast.values[r]) + fast.baseValue - predictRow(c, row))).toBeLessThan(1e-9);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives zero attributions to a model of constant trees', () => {
    const c = compileModel(randomModel(1, 3, 0));
    const { values, baseValue } = treeShap(c, columnsOf(randomRows(2, 3)));
    expect(values.every((v) => v.every((x) => x === 0))).toBe(true);
    expect(baseValue).toBeCloseTo(predictRow(c, new Float64Array(RANDOM_FEATURES)), 12);
  });
});

describe('interventional TreeSHAP on random trees', () => {
  it('equals brute-force Shapley values and adds up to margin − mean background margin', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        (seed, nTrees, depth) => {
          const c = compileModel(randomModel(seed, nTrees, depth));
          const rows = randomRows(seed ^ 0xabc, 3);
          const background = randomRows(seed ^ 0xdef, 5);
          const res = interventionalShap(c, columnsOf(rows), columnsOf(background));
          rows.forEach((row, r) => {
            const brute = bruteForceInterventionalShap(c, row, background);
            for (let j = 0; j < RANDOM_FEATURES; j++)
              expect(Math.abs(res.values[r][j] - brute[j])).toBeLessThan(1e-9);
            expect(Math.abs(sum(res.values[r]) + res.baseValue - predictRow(c, row))).toBeLessThan(1e-9);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects an invalid background size', () => {
    const c = compileModel(randomModel(3, 1, 2));
    const cols = columnsOf(randomRows(4, 2));
    expect(() => interventionalShap(c, cols, cols, { maxBackground: 0 })).toThrow(RangeError);
  });
});

describe.each(['d3-500', 'd8-50', 'd5-100-unnamed', 'cat'])(
  'TreeSHAP against XGBoost pred_contribs (%s)',
  (name) => {
    const c = compileModel(readXgboostJson(fixtureText(`xgb-${name}.model.json`)));
    const cases = readCases(`xgb-${name}.cases.json`);
    const nf = c.featureNames.length;

    it('matches per-feature contributions and the bias within 1e-5 (+1e-5 relative)', () => {
      const { values, baseValue } = treeShap(c, toColumns(cases.rows));
      const margins = predictMargins(c, toColumns(cases.rows));
      cases.contribs!.forEach((expected, r) => {
        for (let j = 0; j < nf; j++) {
          expect(Math.abs(values[r][j] - expected[j])).toBeLessThan(1e-5 + 1e-5 * Math.abs(expected[j]));
        }
        expect(Math.abs(baseValue - expected[nf])).toBeLessThan(1e-5);
        expect(Math.abs(sum(values[r]) + baseValue - margins[r])).toBeLessThan(1e-9);
      });
    });

    it.each([false, true])(
      'agrees with the reference path-dependent algorithm within 1e-9 (generic %s)',
      (generic) => {
        const rows = cases.rows.slice(0, 15).map(toRow);
        const ref = pathDependentShap(c, rows);
        const explainer = createShapExplainer(c, { generic });
        rows.forEach((row, r) => {
          const phi = new Float64Array(nf);
          explainer.explainRow(row, phi);
          for (let j = 0; j < nf; j++) expect(Math.abs(phi[j] - ref.values[r][j])).toBeLessThan(1e-9);
        });
      },
    );
  },
);

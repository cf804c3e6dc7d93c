/**
 * Quality against XGBoost: on the flights delay task (train 2001-01-01..21, test 2001-01-22..31,
 * the 12 features of src/features/flights-matrix.ts), 100 trees of depth 6, eta 0.3, max_bin 256,
 * Plumbline's test ROC-AUC must be within 0.003 of XGBoost 1.7.4 hist's (fixture made by
 * scripts/fixtures-gbdt.py from the same features exported by scripts/export-flights-features.ts).
 * Takes ~15–40 s (loading 0.5 M flights and training).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFlightSplit } from '../../scripts/export-flights-features.js';
import { rocAuc } from '../../src/metrics/roc-auc.js';
import { compileModel } from '../../src/models/compile.js';
import { trainGbdt } from '../../src/models/gbdt/train.js';
import { predictMargins } from '../../src/models/predict.js';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/gbdt-flights-xgboost.json', import.meta.url), 'utf8'),
) as { nTrain: number; nTest: number; features: string[]; testAuc: number; params: Record<string, number> };

describe('flights delay model vs XGBoost hist', () => {
  it('reaches XGBoost test ROC-AUC within 0.003 with the same data and parameters', async () => {
    const { train, test } = await loadFlightSplit('dates');
    expect(train.label.length).toBe(fixture.nTrain);
    expect(test.label.length).toBe(fixture.nTest);
    expect(train.features.map((f) => f.name)).toEqual(fixture.features);
    const { model } = trainGbdt(
      { features: train.features, columns: train.columns, label: train.label },
      {
        nTrees: fixture.params.nTrees,
        maxDepth: fixture.params.maxDepth,
        eta: fixture.params.eta,
        maxBin: 256,
      },
    );
    const auc = rocAuc(test.label, predictMargins(compileModel(model), test.columns));
    expect(Math.abs(auc - fixture.testAuc)).toBeLessThan(0.003);
  }, 120_000);
});

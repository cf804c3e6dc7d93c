/**
 * Cases with known causes built from the real flights data (see flights-cases.ts): each must get the
 * right verdict and name the right feature; a clean comparison must get `no-material-change`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FlightsTable } from '../../src/features/flights-matrix.js';
import { compileModel } from '../../src/models/compile.js';
import { trainGbdt } from '../../src/models/gbdt/train.js';
import { type CheckPipelineOptions, checkPipeline } from '../../src/pipeline-check/check-pipeline.js';
import { retrainDefaults, toDataset } from '../../src/pipeline-check/shap-shift.js';
import type { FeatureColumnData, PipelineCheckResult } from '../../src/pipeline-check/types.js';
import * as cases from './flights-cases.js';

// small models keep the file fast; the verdict logic does not depend on the sizes
const options: CheckPipelineOptions = {
  shap: { trainRows: 4000, shapRows: 800, resamples: 100, gbdt: { nTrees: 25 } },
};

let jan: FlightsTable;
let jun: FlightsTable;
let dictionary: string[];
let base: FeatureColumnData[];

beforeAll(async () => {
  ({ jan, jun, originDictionary: dictionary } = await cases.loadCaseData(8));
  base = cases.featuresOf(jan, dictionary);
});

const failing = (r: PipelineCheckResult) => r.findings.filter((f) => f.verdict === 'fail');

describe('checkPipeline on flights cases', () => {
  it('distance in km instead of miles: preprocessing-bug on distance, ratio 1.609344', () => {
    const r = checkPipeline(
      { before: base, after: cases.distanceInKm(base), key: 'id', label: 'delayed' },
      options,
    );
    expect(r.verdicts).toEqual(['preprocessing-bug']);
    expect(r.implicated[0]).toBe('distance');
    const t = r.findings.find((f) => f.check === 'transform' && f.feature === 'distance');
    expect(t?.kind).toBe('constant-ratio');
    expect(t?.evidence.ratio).toBeCloseTo(1.609344, 9);
    expect(t?.message).toContain('miles → km');
    expect(r.failed).toBe(true);
    // nothing else is blamed on the pipeline
    expect(
      new Set(
        failing(r)
          .filter((f) => f.severity === 'error')
          .map((f) => f.feature),
      ),
    ).toEqual(new Set(['distance']));
  });

  it('distance in km without a key: found from the quantiles', () => {
    const after = cases.distanceInKm(cases.featuresOf(jan, dictionary));
    const r = checkPipeline({ before: base, after, label: 'delayed' }, { ...options, skipShap: true });
    expect(r.verdicts).toContain('preprocessing-bug');
    expect(r.implicated[0]).toBe('distance');
    expect(r.findings.find((f) => f.check === 'transform' && f.feature === 'distance')?.kind).toBe(
      'constant-ratio',
    );
  });

  it('shuffled origin encoding: preprocessing-bug on origin, a permutation of codes', () => {
    const after = cases.shuffledOrigin(base, dictionary.length, 1);
    const r = checkPipeline(
      { before: base, after, key: 'id', label: 'delayed' },
      { ...options, skipShap: true },
    );
    expect(r.verdicts).toEqual(['preprocessing-bug']);
    expect(r.implicated).toEqual(['origin']);
    expect(r.findings.find((f) => f.check === 'transform' && f.feature === 'origin')?.kind).toBe(
      'category-remap',
    );
  });

  it('shuffled origin encoding without a key: found from the code frequencies', () => {
    const after = cases.shuffledOrigin(cases.featuresOf(jan, dictionary), dictionary.length, 1);
    const r = checkPipeline({ before: base, after, label: 'delayed' }, { ...options, skipShap: true });
    expect(r.verdicts).toContain('preprocessing-bug');
    expect(r.implicated[0]).toBe('origin');
    expect(r.findings.find((f) => f.check === 'transform' && f.feature === 'origin')?.kind).toBe(
      'category-remap',
    );
  });

  it('different weekdays of different weeks, no key: a population change, not an offset bug', async () => {
    const early = await cases.loadSample('2001-01-08', '2001-01-11', 8);
    const late = await cases.loadSample('2001-01-18', '2001-01-21', 8);
    const r = checkPipeline(
      {
        before: cases.featuresOf(early, dictionary),
        after: cases.featuresOf(late, dictionary, 1e7),
        label: 'delayed',
      },
      { ...options, skipShap: true },
    );
    expect(r.verdicts).toEqual(['population-change']);
    expect(r.failed).toBe(false);
  });

  it('a feature derived from the label: leakage on arr_delay', () => {
    const after = cases.withArrivalDelay(base, jan, 2);
    const r = checkPipeline({ before: base, after, key: 'id', label: 'delayed' }, options);
    expect(r.verdicts).toEqual(['leakage']);
    expect(r.implicated).toEqual(['arr_delay']);
    const auc = r.findings.find((f) => f.check === 'leakage' && f.feature === 'arr_delay');
    expect(auc?.evidence.strengthAfter).toBeGreaterThan(0.97);
    expect(r.findings.some((f) => f.kind === 'importance-concentration' && f.feature === 'arr_delay')).toBe(
      true,
    );
    expect(r.failed).toBe(true);
  });

  it('a different month through the same pipeline: population-change, not a bug', () => {
    const r = checkPipeline(
      {
        before: base,
        after: cases.featuresOf(jun, dictionary, 1e6),
        rawBefore: cases.rawOf(jan),
        rawAfter: cases.rawOf(jun, 1e6),
        label: 'delayed',
      },
      { ...options, skipShap: true },
    );
    expect(r.verdicts).toEqual(['population-change']);
    expect(r.failed).toBe(false);
    expect(r.findings.find((f) => f.kind === 'label-rate')?.verdict).toBe('fail');
    // the row id is recognised as an identifier, not a drifting feature
    expect(r.findings.find((f) => f.kind === 'identifier')?.evidence.columns).toEqual(['id']);
  });

  it('the same data, models trained with another seed: training-artifact', () => {
    const feats = base.filter((c) => c.name !== 'id' && c.name !== 'delayed');
    const data = toDataset(
      feats,
      Int32Array.from({ length: jan.n }, (_, i) => i),
    );
    const model = (seed: number) =>
      compileModel(trainGbdt({ ...data, label: jan.label }, { ...retrainDefaults, nTrees: 25, seed }).model);
    const r = checkPipeline(
      { before: base, after: base, key: 'id', label: 'delayed', modelBefore: model(1), modelAfter: model(2) },
      { ...options, retrainSeeds: 3 },
    );
    expect(r.verdicts).toEqual(['training-artifact']);
    expect(r.implicated.length).toBeGreaterThan(0);
    expect(r.failed).toBe(false);
    for (const row of r.shap!) {
      if (r.implicated.includes(row.feature))
        expect(Math.abs(row.shift.value)).toBeLessThanOrEqual(row.chanceBand!);
    }
  });

  it('the same data through the same pipeline: no-material-change, with and without a key', () => {
    for (const key of ['id', undefined]) {
      const r = checkPipeline(
        { before: base, after: cases.featuresOf(jan, dictionary), key, label: 'delayed' },
        options,
      );
      expect(r.verdicts).toEqual(['no-material-change']);
      expect(r.implicated).toEqual([]);
      expect(failing(r)).toEqual([]);
    }
  });
});

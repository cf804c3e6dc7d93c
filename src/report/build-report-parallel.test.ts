import { describe, expect, it } from 'vitest';
import { detectDrift } from '../drift/detect-drift.js';
import { createRng } from '../stats/random.js';
import { type BuildReportInput, buildReport, columnsWithOutputs, driftColumns } from './build-report.js';
import { buildReportParallel, startDriftWorker } from './build-report-parallel.js';
import { decodeCategories, encodeCategories } from './worker-columns.js';

// Property: drift in a worker thread gives exactly buildReport's result (same functions, same seeds).
function makeInput(n: number, seed: number): BuildReportInput {
  const rng = createRng(seed);
  const numeric = (shift: number) => Float64Array.from({ length: n }, () => rng.normal() + shift);
  const levels = ['a', 'b', 'c', null];
  const categorical = (skew: number) =>
    Array.from({ length: n }, () => levels[Math.min(3, Math.floor(4 * rng.next() ** skew))]);
  const score = (k: number) => Float64Array.from({ length: n }, () => (rng.next() + k) / (1 + k));
  const label = (s: Float64Array) => Array.from(s, (p) => (rng.next() < p ? '1' : '0'));
  const scoreRef = score(0);
  const scoreCur = score(0.3);
  return {
    rows: { reference: n, current: n },
    features: [
      { name: 'x', type: 'numeric', reference: numeric(0), current: numeric(0.6) },
      { name: 'y', type: 'numeric', reference: numeric(0), current: numeric(0) },
      { name: 'c', type: 'categorical', reference: categorical(1), current: categorical(1.5) },
    ],
    label: { name: 'label', reference: label(scoreRef), current: label(scoreCur) },
    score: { name: 'score', reference: scoreRef, current: scoreCur },
  };
}

describe('buildReportParallel', () => {
  it('equals buildReport', async () => {
    const input = makeInput(3000, 7);
    const stages: string[] = [];
    const parallel = await buildReportParallel(input, { seed: 3, onStage: (s) => stages.push(s) });
    expect(parallel).toEqual(buildReport(input, { seed: 3 }));
    expect(parallel.report.features[0].drifted).toBe(true);
    expect(stages).toEqual(['drift', 'performance']);
  });

  it('runs drift in the worker (no fallback) with the result of detectDrift', async () => {
    const columns = columnsWithOutputs(makeInput(500, 2));
    const worker = startDriftWorker(columns, 5, 0.05);
    const drift = await worker.result;
    worker.stop();
    expect(drift).toBeDefined();
    expect(drift).toEqual(detectDrift(driftColumns(columns), { seed: 5, alpha: 0.05 }));
  });

  it('rejects a bad score before starting work, as buildReport', async () => {
    const input = makeInput(200, 1);
    input.score!.current[5] = 1.5;
    await expect(buildReportParallel(input)).rejects.toThrow(/row 6 of the current is 1.5/);
  });
});

describe('encodeCategories', () => {
  it('round-trips labels and missing values', () => {
    const values = ['b', null, 'a', 'b', '', null];
    const encoded = encodeCategories(values);
    expect(encoded.levels).toEqual(['b', 'a', '']);
    expect([...encoded.codes]).toEqual([0, -1, 1, 0, 2, -1]);
    expect(decodeCategories(encoded)).toEqual(values);
  });
});

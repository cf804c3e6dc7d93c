/**
 * The demo's delay model: the embedded GBDT trained on the scenario's `train` days, the
 * decision threshold that maximises F1 on the training rows, and vectorised scoring of replay
 * events with the training category dictionaries. Pure (no I/O).
 */
import {
  buildFlightsMatrix,
  FLIGHT_CATEGORICAL_COLUMNS,
  type FlightCategoricalColumn,
  type FlightsTable,
} from '../features/flights-matrix.js';
import { rocAuc } from '../metrics/roc-auc.js';
import { metricsAtThresholds } from '../metrics/thresholds.js';
import { type CompiledModel, compileModel } from '../models/compile.js';
import { type GbdtOptions, trainGbdt } from '../models/gbdt/train.js';
import { predictProbabilities } from '../models/predict.js';
import type { TreeModel } from '../models/types.js';
import type { ReplayEvents } from './incidents.js';

/** Trainer parameters of the demo model (recorded in the version's lineage). */
export const demoModelParams: GbdtOptions = { nTrees: 60, eta: 0.2, maxDepth: 6, minChildWeight: 5 };

/** A trained demo model, ready to score. */
export interface DemoModel {
  model: TreeModel;
  compiled: CompiledModel;
  dictionaries: Record<FlightCategoricalColumn, string[]>;
  /** Decision threshold (F1-optimal on the training rows). */
  threshold: number;
  trainAuc: number;
  trainRows: number;
  trainPositiveRate: number;
}

/** Trains the delay model on `train` (seeded). */
export function trainDelayModel(
  train: FlightsTable,
  seed: number,
  params: GbdtOptions = demoModelParams,
): DemoModel {
  const matrix = buildFlightsMatrix(train);
  const result = trainGbdt(matrix, { ...params, seed });
  const model = result.model;
  model.source = {
    ...model.source,
    label: { column: 'delayed', positive: '1', definition: 'delay > 15 min' },
  };
  const compiled = compileModel(model);
  const scores = predictProbabilities(compiled, matrix.columns);
  const at = metricsAtThresholds(train.label, scores);
  let best = 0;
  for (let k = 1; k < at.f1.length; k++) if (at.f1[k] > at.f1[best]) best = k;
  const dictionaries = Object.fromEntries(
    matrix.features.filter((f) => f.type === 'categorical').map((f) => [f.name, f.categories ?? []]),
  ) as Record<FlightCategoricalColumn, string[]>;
  let positives = 0;
  for (let i = 0; i < train.n; i++) positives += train.label[i];
  return {
    model,
    compiled,
    dictionaries,
    threshold: at.thresholds[best],
    trainAuc: rocAuc(train.label, scores),
    trainRows: train.n,
    trainPositiveRate: positives / train.n,
  };
}

/** Scores events as the model sees them (after incidents): probability of a delay per event. */
export function scoreEvents(model: DemoModel, events: ReplayEvents): Float64Array {
  const table = {
    n: events.n,
    time: events.time,
    delay: new Float64Array(0),
    label: events.label,
    numeric: events.numeric,
    categorical: events.categorical,
  } as FlightsTable;
  for (const name of FLIGHT_CATEGORICAL_COLUMNS)
    if (!(name in events.categorical)) throw new TypeError(`invalid events: no categorical column ${name}`);
  const matrix = buildFlightsMatrix(table, { dictionaries: model.dictionaries });
  return predictProbabilities(model.compiled, matrix.columns);
}

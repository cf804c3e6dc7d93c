/**
 * The ingest service: validates a batch against its model, serialises writes per model, applies
 * detailed-log sampling, and writes the batch in a store transaction (the store serialises writes per
 * model and may commit several waiting batches together). It answers only after the
 * store has committed, so an acknowledged batch is durable.
 */

import { errors } from '../errors.js';
import { createRng, type Rng } from '../stats/random.js';
import type { LabelInsertResult, Model, PredictionInsertResult, RowSelector, Store } from '../store/store.js';
import { RejectRecorder } from './rejects.js';
import { type RowBudget, refillBudget, sampleRows } from './sampling.js';
import { validateLabels, validatePredictions } from './validate.js';

/** Options of the ingest service. */
export interface IngestOptions {
  /** Most detailed rows stored per second and model; above it rows are sampled (default: no limit). */
  maxStoredRowsPerSecond?: number;
  /** Bucket size of the row budget, in rows (default: one second's worth). */
  burstRows?: number;
  /** Seed of the sampler's random source (default 1). */
  seed?: number;
  /** Clock, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
}

const defaults = {
  maxStoredRowsPerSecond: Number.POSITIVE_INFINITY,
  burstRows: undefined as number | undefined,
  seed: 1,
  now: () => Date.now(),
};

/** Counters the service keeps for `/metrics`. */
export interface IngestCounters {
  predictionsAccepted: number;
  predictionsDuplicate: number;
  predictionsStored: number;
  labelsAccepted: number;
  labelsDuplicate: number;
  labelsConflict: number;
}

/** Validates and writes prediction and label batches. */
export class IngestService {
  readonly counters: IngestCounters = {
    predictionsAccepted: 0,
    predictionsDuplicate: 0,
    predictionsStored: 0,
    labelsAccepted: 0,
    labelsDuplicate: 0,
    labelsConflict: 0,
  };
  private inFlight = 0;
  private readonly budgets = new Map<string, RowBudget>();
  private readonly options: typeof defaults;
  private readonly rng: Rng;
  private readonly rejects: RejectRecorder;

  constructor(
    readonly store: Store,
    options: IngestOptions = {},
  ) {
    this.options = { ...defaults, ...options };
    this.rng = createRng(this.options.seed);
    this.rejects = new RejectRecorder(store, { now: this.options.now });
  }

  /** Batches waiting for or in a store write. */
  get queueDepth(): number {
    return this.inFlight;
  }

  /** Runs a store write, counting it in `queueDepth`; the store serialises writes per model. */
  private async write<T>(fn: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await fn();
    } finally {
      this.inFlight--;
    }
  }

  /** Counts a rejected batch's events for the monitor (`ingest_reject_rate`), without waiting for the store. */
  private recordRejects(model: string, count: number): void {
    this.rejects.record(model, count);
  }

  /** Resolves when the rejected events counted so far are stored (tests, shutdown). */
  rejectsRecorded(): Promise<void> {
    return this.rejects.flushed();
  }

  /** Loads a model or throws `PLB_ERR_NOT_FOUND` (404). */
  async requireModel(id: string): Promise<Model> {
    const model = await this.store.getModel(id);
    if (!model) {
      throw errors.notFound(`unknown model ${id}`, [
        { field: 'model', value: id, expected: 'a created model' },
      ]);
    }
    return model;
  }

  /** Validates and stores a prediction batch; throws `PLB_ERR_INVALID_INPUT` listing every issue. */
  async ingestPredictions(modelId: string, events: unknown[]): Promise<PredictionInsertResult> {
    const model = await this.requireModel(modelId);
    const v = validatePredictions(model, events);
    if (!v.ok) {
      this.recordRejects(model.id, events.length);
      throw errors.invalidInput(`${v.issues.length} problem(s) in the batch; nothing was stored`, v.issues);
    }
    const result = await this.write(() =>
      this.store.insertPredictions(model.id, v.records, this.selector(model)),
    );
    this.counters.predictionsAccepted += result.accepted;
    this.counters.predictionsDuplicate += result.duplicates;
    this.counters.predictionsStored += result.stored;
    return result;
  }

  /** Validates and stores a label batch; throws `PLB_ERR_INVALID_INPUT` listing every issue. */
  async ingestLabels(modelId: string, events: unknown[]): Promise<LabelInsertResult> {
    const model = await this.requireModel(modelId);
    const v = validateLabels(model, events);
    if (!v.ok) {
      this.recordRejects(model.id, events.length);
      throw errors.invalidInput(`${v.issues.length} problem(s) in the batch; nothing was stored`, v.issues);
    }
    const result = await this.write(() => this.store.insertLabels(model.id, v.records, this.options.now()));
    this.counters.labelsAccepted += result.accepted;
    this.counters.labelsDuplicate += result.duplicates;
    this.counters.labelsConflict += result.conflicts.length;
    return result;
  }

  /** The row selector for one batch: everything, or a weighted sample within the row budget. */
  private selector(model: Model): RowSelector | undefined {
    const rate = this.options.maxStoredRowsPerSecond;
    if (rate === Number.POSITIVE_INFINITY) return undefined;
    const burst = this.options.burstRows ?? Math.max(1, rate);
    return (fresh) => {
      const now = this.options.now();
      const state = refillBudget(
        this.budgets.get(model.id) ?? { tokens: burst, atMs: now },
        now,
        rate,
        burst,
      );
      const rows = sampleRows(fresh, {
        budget: Math.floor(state.tokens),
        threshold: model.schema.threshold,
        segments: model.schema.segments,
        rng: this.rng,
      });
      this.budgets.set(model.id, { tokens: state.tokens - rows.length, atMs: state.atMs });
      return rows;
    };
  }
}

/**
 * Types shared by the pipeline-change checks: the columns they read (structurally the same as
 * `TableColumn` from `src/io/read-table.ts`, so files read there can be passed as they are), the
 * findings every check emits, and the overall result (the JSON contract of `plumbline check-pipeline`).
 */

/** A numeric (or datetime as epoch ms) column; NaN = missing. */
export interface NumericFeature {
  name: string;
  kind: 'numeric' | 'datetime';
  values: Float64Array;
}

/** A categorical column; null = missing. */
export interface CategoricalFeature {
  name: string;
  kind: 'categorical';
  values: readonly (string | null)[];
}

/** One column of a features (or raw) table. */
export type FeatureColumnData = NumericFeature | CategoricalFeature;

/** A table as columns of equal length. */
export type FeatureTable = readonly FeatureColumnData[];

/** The checks, in the order an expert investigates. */
export type CheckName = 'schema' | 'paired' | 'transform' | 'population' | 'leakage' | 'shap';

/** A check's verdict on one feature (or on the whole data when `feature` is null). */
export type FindingVerdict = 'pass' | 'fail' | 'skipped';

/** How much a finding matters; a `fail` of severity `error` makes the command exit non-zero. */
export type Severity = 'error' | 'warning' | 'info';

/** The overall causes the report can name. */
export type CauseVerdict =
  | 'preprocessing-bug'
  | 'population-change'
  | 'leakage'
  | 'training-artifact'
  | 'no-material-change';

/** One observation of one check. */
export interface Finding {
  check: CheckName;
  /** What was found, e.g. `removed-column`, `constant-ratio`, `category-remap`, `label-auc`. */
  kind: string;
  /** The feature concerned, or null for the whole table. */
  feature: string | null;
  verdict: FindingVerdict;
  severity: Severity;
  /** A sentence a human reads first. */
  message: string;
  /** The numbers behind the verdict (JSON-serialisable). */
  evidence: Record<string, unknown>;
  /** Which overall cause a `fail` points to. */
  cause?: Exclude<CauseVerdict, 'no-material-change'>;
}

/** SHAP importance of one feature on each side, with intervals and the retraining band. */
export interface ShapShiftRow {
  feature: string;
  /** Share of total mean |SHAP| (0–1) before, with a 95 % bootstrap interval over rows. */
  before: { value: number; low: number; high: number } | null;
  after: { value: number; low: number; high: number } | null;
  /** after − before share, with its paired bootstrap interval. */
  shift: { value: number; low: number; high: number };
  /** Largest |share change| seen when only the seed or the bootstrap resample changes. */
  chanceBand: number | null;
}

/** The result of `checkPipeline` (the JSON contract). */
export interface PipelineCheckResult {
  verdicts: CauseVerdict[];
  /** One paragraph: what happened, where. */
  summary: string;
  /** Features implicated by a failing check, most severe first. */
  implicated: string[];
  /** What to do next, one sentence each. */
  actions: string[];
  findings: Finding[];
  /** SHAP importance before/after (absent when the SHAP check was skipped). */
  shap?: ShapShiftRow[];
  /** Inputs as seen: row counts, pairing and options that shaped the verdicts. */
  context: {
    rowsBefore: number;
    rowsAfter: number;
    paired: boolean;
    pairedRows?: number;
    key?: string;
    label?: string;
    rawGiven: boolean;
    seed: number;
  };
  /** True when a `fail` of severity `error` was found (the CLI's exit code). */
  failed: boolean;
}

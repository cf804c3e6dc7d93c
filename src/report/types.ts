/**
 * The JSON contract of `plumbline report` (reference vs current). Numbers that
 * cannot be computed are `null` in JSON (NaN in memory is never emitted).
 */
import type { QualityIssue } from '../drift/quality.js';
import type { Distribution } from './distributions.js';

/** A test statistic with its p-value. */
export interface TestResult {
  statistic: number;
  pValue: number;
}

/** The drift tests of one column (numeric columns get ks + wasserstein, categorical ones chiSquare). */
export interface FeatureTests {
  ks?: TestResult;
  wasserstein?: { value: number; normalized: number };
  chiSquare?: TestResult;
  psi: { value: number };
  jensenShannon: { value: number };
}

/** Drift of one column, reference vs current. */
export interface FeatureReport {
  name: string;
  type: 'numeric' | 'categorical';
  /** `insufficient_data` when either side has too few non-missing values for a verdict. */
  status: 'ok' | 'insufficient_data';
  tests: FeatureTests;
  drifted: boolean;
  /** Why drifted or not, in words (significance, effect size, thresholds). */
  reason: string;
  /** Missing-value shares, reference and current. */
  missing: { reference: number; current: number };
}

/** A metric with its confidence interval where one is defined. */
export interface MetricValue {
  /** null when the metric is undefined (e.g. precision with no predicted positive). */
  value: number | null;
  ci?: { low: number; high: number };
}

/** One point of a reliability (calibration) curve. */
export interface ReliabilityPoint {
  /** Mean predicted probability in the bin. */
  predicted: number;
  /** Observed frequency of the positive class in the bin. */
  observed: number;
  count: number;
}

/** Model performance on one sample. */
export interface PerformanceSide {
  n: number;
  accuracy: MetricValue;
  precision: MetricValue;
  recall: MetricValue;
  f1: MetricValue;
  rocAuc?: MetricValue;
  averagePrecision?: MetricValue;
  logLoss?: MetricValue;
  brier?: MetricValue;
}

/** The whole report. */
export interface Report {
  summary: {
    /** `drift` when any feature or the score drifted, `stable` otherwise. */
    verdict: 'drift' | 'stable';
    driftedFeatures: number;
    nFeatures: number;
    rows: { reference: number; current: number };
  };
  features: FeatureReport[];
  score?: FeatureReport;
  label?: FeatureReport;
  quality: { issues: QualityIssue[] };
  performance?: {
    /** The class treated as positive, and the decision threshold on the score. */
    positive: string;
    threshold: number;
    reference: PerformanceSide;
    current: PerformanceSide;
  };
}

/** What the HTML needs beyond the JSON: distributions to draw and reliability curves. */
export interface ReportDetails {
  distributions: Map<string, Distribution>;
  reliability?: { reference: ReliabilityPoint[]; current: ReliabilityPoint[] };
  /** Input files, for the page header. */
  sources?: { reference: string; current: string };
  /** Per column, which tests decided significance and materiality (registry names: 'ks', 'psi', …). */
  decidedBy?: Map<string, { significance: string; effect: string }>;
  /** The material-effect thresholds used, for the test table. */
  thresholds?: { alpha: number; psi: number; wasserstein: number; jensenShannon: number };
}

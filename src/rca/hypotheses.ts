/**
 * The RCA report contract (hypotheses with evidence, actions and caveats) and the recommended
 * action of each kind of cause.
 */

/** What a hypothesis blames. */
export type HypothesisKind =
  | 'feature'
  | 'data-quality'
  | 'segment'
  | 'version'
  | 'pipeline'
  | 'infra'
  | 'label-shift'
  | 'population';

/** What the hypothesis is about. */
export interface HypothesisSubject {
  feature?: string;
  segment?: Record<string, string>;
  version?: string;
  tag?: Record<string, string>;
}

/** One piece of evidence: a test or a measured figure, with a sentence. */
export interface Evidence {
  test: string;
  statistic?: number;
  pValue?: number;
  effect?: number;
  interval?: { low: number; high: number };
  figures?: Record<string, number | string | null>;
  text: string;
}

/** A ranked explanation of the degradation. */
export interface Hypothesis {
  kind: HypothesisKind;
  subject: HypothesisSubject;
  /** In [0, 1]: roughly the share of the change it explains, discounted by the strength of its evidence. */
  score: number;
  evidence: Evidence[];
  action: string;
}

/** What the RCA was asked to explain. */
export interface RcaTrigger {
  /** `error_rate` (default analyses on 0/1 errors) or a latency metric (`latency…`). */
  metric: string;
  /** The alert that fired, if any. */
  alertId?: string;
  /** Restrict the analysis to this segment (tag or categorical feature = value). */
  segment?: Record<string, string>;
  /** The feature the alert named (drift and data-quality alerts). */
  feature?: string;
  /** How the baseline was chosen and the ranges it covers (epoch ms, [from, to)). */
  baseline?: {
    kind: 'reference' | 'preceding' | 'seasonal' | 'explicit';
    ranges: { fromMs: number; toMs: number }[];
  };
  text?: string;
}

/** Span and size of one window. */
export interface WindowSummary {
  fromMs: number;
  toMs: number;
  n: number;
  labelled: number;
  errorRate: number;
  meanLatencyMs: number | null;
}

/** The RCA report. */
export interface RcaReport {
  trigger: RcaTrigger;
  window: WindowSummary;
  baseline: WindowSummary;
  hypotheses: Hypothesis[];
  caveats: string[];
}

const describe = (subject: HypothesisSubject): string =>
  subject.feature ??
  subject.version ??
  Object.entries(subject.tag ?? subject.segment ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' & ');

/** The recommended action of a hypothesis. */
export function recommendAction(kind: HypothesisKind, subject: HypothesisSubject): string {
  const what = describe(subject);
  switch (kind) {
    case 'version':
      return `Roll back version ${subject.version ?? what} and compare it with the previous one in shadow.`;
    case 'pipeline':
      return `Fix the pipeline tagged ${what}, then re-score or replay its events.`;
    case 'infra':
      return `Page the owner of ${what} (infrastructure): its events behave differently from the rest.`;
    case 'data-quality':
      return `Page the owner of upstream feature ${what} and fix the data before it reaches the model.`;
    case 'feature':
      return `Check upstream feature ${what} with its owner; if the shift is real, retrain on recent data.`;
    case 'label-shift':
      return `Check the labels of ${what} (labelling or a real change of outcome); if real, retrain on recent data.`;
    case 'segment':
      return `Investigate segment ${what}; consider retraining with recent data from it or a dedicated model.`;
    default:
      return 'The population changed: retrain on recent data.';
  }
}

/** Caveats that always apply to an RCA report. */
export const standardCaveats: readonly string[] = [
  'Attributions describe the model, not the world: a feature with a large SHAP shift is where the model reacts, not necessarily where the cause lies.',
  'Path-dependent TreeSHAP follows the training distribution (use interventional SHAP against the baseline to avoid it).',
  'Correlated features share credit: a shifted feature can take the attribution of its correlated neighbours.',
  'Small segments give wide intervals; the tests are one-sided and corrected for multiple testing, but remain associational.',
];

/**
 * Check 5, leakage: features whose single-feature ROC-AUC against the label (max(AUC, 1 − AUC),
 * AUC as scikit-learn's roc_auc_score, missing values skipped) is near 1 or jumped, features that
 * are a function of the label (one value per class), and timestamps later than the prediction
 * time. Importance concentration is judged with the SHAP check (shap-shift.ts). Pure.
 */
import { rocAuc } from '../metrics/roc-auc.js';
import { categoryCounts } from './schema.js';
import { sampleRows } from './table.js';
import type { FeatureColumnData, Finding } from './types.js';

/** Options of {@link checkLeakage}. */
export interface LeakageOptions {
  /** max(AUC, 1 − AUC) at or above this is leakage. Default 0.97. */
  aucLimit?: number;
  /** An increase of max(AUC, 1 − AUC) this large (to at least 0.75) is leakage. Default 0.15. */
  aucJump?: number;
  /** Rows used per side (seeded subsample). Default 50000. */
  maxRows?: number;
  /** Share of rows with a timestamp after the prediction time that counts as leakage. Default 0.01. */
  futureShare?: number;
  seed?: number;
}

const defaults = { aucLimit: 0.97, aucJump: 0.15, maxRows: 50_000, futureShare: 0.01, seed: 0 };

/** Score of a feature for AUC: numbers as is, categories by their positive rate (≤ 50 categories). */
function featureScores(
  column: FeatureColumnData,
  label: Uint8Array,
  rows: Int32Array,
): { y: number[]; s: number[] } | undefined {
  const y: number[] = [];
  const s: number[] = [];
  if (column.kind === 'categorical') {
    const counts = categoryCounts(column.values);
    if (counts.size > 50 || counts.size < 2) return undefined;
    const pos = new Map<string, number>();
    for (const i of rows) {
      const v = column.values[i];
      if (v !== null && label[i]) pos.set(v, (pos.get(v) ?? 0) + 1);
    }
    for (const i of rows) {
      const v = column.values[i];
      if (v === null) continue;
      y.push(label[i]);
      s.push((pos.get(v) ?? 0) / (counts.get(v) ?? 1));
    }
  } else {
    for (const i of rows) {
      const v = column.values[i];
      if (Number.isNaN(v)) continue;
      y.push(label[i]);
      s.push(v);
    }
  }
  return { y, s };
}

/** Separation of a feature: max(AUC, 1 − AUC), and whether it takes one value per class. */
export function labelSeparation(
  column: FeatureColumnData,
  label: Uint8Array,
  rows: Int32Array,
): { strength: number; auc: number; labelFunction: boolean } | undefined {
  const data = featureScores(column, label, rows);
  if (!data || data.y.length < 20) return undefined;
  const auc = rocAuc(data.y, data.s);
  if (Number.isNaN(auc)) return undefined;
  const values = [new Set<number>(), new Set<number>()];
  for (let k = 0; k < data.y.length && values[0].size + values[1].size <= 4; k++)
    values[data.y[k]].add(data.s[k]);
  const labelFunction = values[0].size === 1 && values[1].size === 1;
  return { strength: Math.max(auc, 1 - auc), auc, labelFunction };
}

const PREDICTION_TIME =
  /^(prediction_?time|predicted_?at|prediction_?ts|scored_?at|score_?time|decision_?time)$/i;
const TIMESTAMP = /(_at|_time|_ts|timestamp|_date)$/i;

/** Leakage findings for the after side (compared with before when given). */
export function checkLeakage(args: {
  before?: readonly FeatureColumnData[];
  after: readonly FeatureColumnData[];
  labelBefore?: Uint8Array;
  labelAfter?: Uint8Array;
  /** Column holding the prediction time (epoch ms), if known; else inferred by name among `timeColumns`. */
  predictionTime?: FeatureColumnData;
  /** Candidate timestamp columns (features or not); numeric epoch ms or datetime. */
  timeColumns?: readonly FeatureColumnData[];
  options?: LeakageOptions;
}): Finding[] {
  const o = { ...defaults, ...args.options };
  const findings: Finding[] = [];
  if (!args.labelAfter) {
    findings.push({
      check: 'leakage',
      kind: 'label-auc',
      feature: null,
      verdict: 'skipped',
      severity: 'info',
      message: 'no label given (--label): single-feature AUC not computed',
      evidence: {},
    });
  } else {
    const ra = sampleRows(args.labelAfter.length, o.maxRows, o.seed);
    const rb = args.labelBefore ? sampleRows(args.labelBefore.length, o.maxRows, o.seed) : undefined;
    let flagged = 0;
    for (const a of args.after) {
      const sa = labelSeparation(a, args.labelAfter, ra);
      if (!sa) continue;
      const b = args.before?.find((c) => c.name === a.name);
      // the before side matters only when the after side is strong enough to be flagged
      const sb =
        b && args.labelBefore && rb && sa.strength >= 0.75
          ? labelSeparation(b, args.labelBefore, rb)
          : undefined;
      const evidence = {
        aucAfter: sa.auc,
        strengthAfter: sa.strength,
        aucBefore: sb?.auc ?? null,
        strengthBefore: sb?.strength ?? null,
        new: !b,
      };
      if (sa.labelFunction || sa.strength >= o.aucLimit) {
        flagged++;
        findings.push({
          check: 'leakage',
          kind: sa.labelFunction ? 'label-function' : 'label-auc',
          feature: a.name,
          verdict: 'fail',
          severity: 'error',
          cause: 'leakage',
          message: sa.labelFunction
            ? `${a.name} takes one value per class: it is a transformation of the label`
            : `${a.name} alone predicts the label with ROC-AUC ${sa.strength.toFixed(3)}${sb ? ` (was ${sb.strength.toFixed(3)})` : ' (new feature)'}: it likely encodes the outcome`,
          evidence,
        });
      } else if (sb && sa.strength - sb.strength >= o.aucJump && sa.strength >= 0.75) {
        flagged++;
        findings.push({
          check: 'leakage',
          kind: 'auc-jump',
          feature: a.name,
          verdict: 'fail',
          severity: 'error',
          cause: 'leakage',
          message: `${a.name}: single-feature ROC-AUC jumped ${sb.strength.toFixed(3)} → ${sa.strength.toFixed(3)}`,
          evidence,
        });
      }
    }
    if (flagged === 0)
      findings.push({
        check: 'leakage',
        kind: 'label-auc',
        feature: null,
        verdict: 'pass',
        severity: 'info',
        message: `no feature alone separates the label (every single-feature AUC < ${o.aucLimit}, no jump ≥ ${o.aucJump})`,
        evidence: {},
      });
  }
  const times = args.timeColumns ?? [];
  const pred = args.predictionTime ?? times.find((c) => PREDICTION_TIME.test(c.name));
  const stamps = times.filter(
    (c) => c !== pred && c.kind !== 'categorical' && (c.kind === 'datetime' || TIMESTAMP.test(c.name)),
  );
  if (!pred || pred.kind === 'categorical' || stamps.length === 0) {
    findings.push({
      check: 'leakage',
      kind: 'future-timestamp',
      feature: null,
      verdict: 'skipped',
      severity: 'info',
      message: pred
        ? 'no timestamp features to compare with the prediction time'
        : 'no prediction-time column known or inferred (e.g. prediction_time): future timestamps not checked',
      evidence: {},
    });
    return findings;
  }
  for (const c of stamps) {
    if (c.kind === 'categorical') continue;
    let later = 0;
    let both = 0;
    for (let i = 0; i < c.values.length; i++) {
      const t = c.values[i];
      const p = pred.values[i];
      if (Number.isNaN(t) || Number.isNaN(p)) continue;
      both++;
      if (t > p) later++;
    }
    const share = both === 0 ? 0 : later / both;
    findings.push({
      check: 'leakage',
      kind: 'future-timestamp',
      feature: c.name,
      verdict: share >= o.futureShare ? 'fail' : 'pass',
      severity: share >= o.futureShare ? 'error' : 'info',
      ...(share >= o.futureShare ? { cause: 'leakage' as const } : {}),
      message: `${c.name}: ${(100 * share).toFixed(1)}% of rows are later than ${pred.name}${share >= o.futureShare ? ' — information from after the prediction' : ''}`,
      evidence: { later, rows: both, share, predictionTime: pred.name },
    });
  }
  return findings;
}

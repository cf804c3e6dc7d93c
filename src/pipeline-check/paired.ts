/**
 * Checks 2 and 3 with a key: per-feature share of paired rows whose value changed, the pattern of
 * the change (missing ↔ present, direction, size), and the exact per-row relation that explains it
 * (see `transforms.ts`). Rows pair by key: the same raw records through both pipeline versions, so
 * any difference is the pipeline's. Pure.
 */

import { sortFloat64 } from '../stats/quantile.js';
import type { Pairing } from './table.js';
import {
  fitPairedCategorical,
  fitPairedNumeric,
  noTransformFinding,
  type TransformFit,
  type TransformOptions,
  transformFinding,
} from './transforms.js';
import type { FeatureColumnData, Finding } from './types.js';

/** Two values are equal when within this relative distance (CSV round trips lose the last bits). */
const EQUAL = 1e-9;

/** What changed in one feature across paired rows. */
export interface PairedChange {
  rows: number;
  changed: number;
  /** Rows missing before and present after, and the reverse. */
  filled: number;
  emptied: number;
  /** Among rows present on both sides and changed: median after − before, and share increased. */
  medianDifference?: number;
  shareIncreased?: number;
}

/** Compares one feature across paired rows; returns the change summary and the fitted relation. */
export function comparePaired(
  before: FeatureColumnData,
  after: FeatureColumnData,
  pairing: Pairing,
  options: TransformOptions = {},
): { change: PairedChange; fit?: TransformFit } {
  const n = pairing.before.length;
  if (before.kind === 'categorical' || after.kind === 'categorical') {
    const label = (c: FeatureColumnData, i: number) => {
      const v = c.values[i];
      return v === null || (typeof v === 'number' && Number.isNaN(v)) ? null : String(v);
    };
    let changed = 0;
    let filled = 0;
    let emptied = 0;
    for (let k = 0; k < n; k++) {
      const x = label(before, pairing.before[k]);
      const y = label(after, pairing.after[k]);
      if (x !== y) {
        changed++;
        if (x === null) filled++;
        else if (y === null) emptied++;
      }
    }
    const change = { rows: n, changed, filled, emptied };
    if (changed === 0) return { change };
    const x = Array.from(pairing.before, (i) => label(before, i));
    const y = Array.from(pairing.after, (i) => label(after, i));
    return { change, fit: fitPairedCategorical(x, y, options) };
  }
  const bv = before.values;
  const av = after.values;
  let changed = 0;
  let filled = 0;
  let emptied = 0;
  let both = 0;
  for (let k = 0; k < n; k++) {
    const x = bv[pairing.before[k]];
    const y = av[pairing.after[k]];
    const mx = Number.isNaN(x);
    const my = Number.isNaN(y);
    if (mx && my) continue;
    if (mx || my) {
      changed++;
      if (mx) filled++;
      else emptied++;
      continue;
    }
    both++;
    if (Math.abs(x - y) > EQUAL * Math.max(Math.abs(x), Math.abs(y))) changed++;
  }
  const change: PairedChange = { rows: n, changed, filled, emptied };
  if (changed === 0) return { change };
  const x = new Float64Array(both);
  const y = new Float64Array(both);
  const diffs: number[] = [];
  let up = 0;
  for (let k = 0, j = 0; k < n; k++) {
    const a = bv[pairing.before[k]];
    const b = av[pairing.after[k]];
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    x[j] = a;
    y[j++] = b;
    if (Math.abs(a - b) > EQUAL * Math.max(Math.abs(a), Math.abs(b))) {
      if (diffs.length < 100_000) diffs.push(b - a);
      if (b > a) up++;
    }
  }
  if (diffs.length > 0) {
    change.medianDifference = sortFloat64(diffs)[Math.floor(diffs.length / 2)];
    change.shareIncreased = up / (changed - filled - emptied);
  }
  let fit: TransformFit | undefined;
  if (filled + emptied === changed) {
    fit = {
      kind: 'null-fill',
      description:
        filled > 0 && emptied === 0
          ? `${filled} missing values are now filled`
          : `${emptied} values are now missing${filled ? `, ${filled} missing now filled` : ''}`,
      parameters: { filled, emptied },
      coverage: 1,
    };
  } else {
    fit = fitPairedNumeric(x, y, options);
  }
  return { change, fit };
}

/** Findings of the paired and transform checks for the features both sides have. */
export function checkPaired(
  before: readonly FeatureColumnData[],
  after: readonly FeatureColumnData[],
  pairing: Pairing,
  options: TransformOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  for (const b of before) {
    const a = after.find((c) => c.name === b.name);
    if (!a) continue;
    const { change, fit } = comparePaired(b, a, pairing, options);
    const share = change.rows === 0 ? 0 : change.changed / change.rows;
    if (change.changed === 0) {
      findings.push({
        check: 'paired',
        kind: 'unchanged',
        feature: b.name,
        verdict: 'pass',
        severity: 'info',
        message: `${b.name}: identical on all ${change.rows} paired rows`,
        evidence: { ...change, share },
      });
      continue;
    }
    findings.push({
      check: 'paired',
      kind: 'changed-rows',
      feature: b.name,
      verdict: 'fail',
      severity: 'error',
      cause: 'preprocessing-bug',
      message: `${b.name}: ${(100 * share).toFixed(share < 0.01 ? 2 : 1)}% of paired rows changed (same records, different value)`,
      evidence: { ...change, share },
    });
    findings.push(
      fit
        ? transformFinding(b.name, fit, 'paired')
        : {
            check: 'transform',
            kind: 'unexplained-change',
            feature: b.name,
            verdict: 'fail',
            severity: 'error',
            cause: 'preprocessing-bug',
            message: `${b.name}: values changed but no simple relation (ratio, offset, affine, log, clipping, mapping) explains them`,
            evidence: { mode: 'paired', ...change },
          },
    );
  }
  if (!findings.some((f) => f.check === 'transform'))
    findings.push(noTransformFinding('paired', 'no feature changed on the paired rows: nothing to explain'));
  return findings;
}

/**
 * Data-quality checks of a current sample against a reference sample, column
 * by column: missing rate (and its change), values that failed to parse, new
 * categories, values outside the reference range, constant columns, and
 * exact-duplicate rows. Pure: counts in, issues out.
 *
 * Every issue is data (`{ column, check, severity, value, expected, message }`,
 * as zod's issues); severities follow the thresholds in `defaults`.
 */
import { type CategoryCounts, categoryCounts } from '../stats/histogram.js';

/** The checks, one name each. */
export type QualityCheck =
  | 'missing_rate'
  | 'type_mismatch'
  | 'new_category'
  | 'out_of_range'
  | 'constant_column'
  | 'duplicate_rows';

/** How bad an issue is: `error` breaks the data, `warning` deserves a look, `info` is context. */
export type Severity = 'info' | 'warning' | 'error';

/** One data-quality finding. */
export interface QualityIssue {
  /** The column, absent for table-wide checks (duplicate rows). */
  column?: string;
  check: QualityCheck;
  severity: Severity;
  /** What was measured in the current data (a share in [0, 1] or a count). */
  value: number;
  /** What the reference leads us to expect (same unit as `value`). */
  expected: number;
  message: string;
  /** A few offending values (new categories), for display. */
  examples?: string[];
}

/** One column of both samples; missing values are NaN (numeric) or null (categorical). */
export type QualityColumn =
  | {
      name: string;
      type: 'numeric';
      reference: ArrayLike<number>;
      current: ArrayLike<number>;
      invalid?: Counts;
    }
  | {
      name: string;
      type: 'categorical';
      reference: ArrayLike<string | null>;
      current: ArrayLike<string | null>;
      invalid?: Counts;
      /** The category counts of each side, when the caller has them already (saves a pass). */
      counts?: { reference: CategoryCounts; current: CategoryCounts };
    };

/** A pair of counts, reference and current. */
export interface Counts {
  reference: number;
  current: number;
}

/** Input of `checkQuality`. */
export interface QualityInput {
  columns: readonly QualityColumn[];
  /** Rows that exactly repeat an earlier row in each sample (counted by the reader). */
  duplicateRows?: Counts;
}

/** Thresholds of `checkQuality`; all shares are fractions of the current rows. */
export interface QualityOptions {
  /** A missing-rate increase (absolute) at or above this is a warning. Default 0.05. */
  missingIncrease?: number;
  /** A share of unparseable values at or above this is an error (below: warning). Default 0.01. */
  invalidShare?: number;
  /** A share of rows in new categories at or above this is a warning (below: info). Default 0.01. */
  newCategoryShare?: number;
  /** A share of values outside the reference [min, max] at or above this is a warning (below: info). Default 0.01. */
  outOfRangeShare?: number;
  /**
   * A duplicate-row share that rises by at least this (absolute) AND by at least half (relative)
   * is a warning (otherwise info). Default 0.01.
   */
  duplicateIncrease?: number;
}

/** Default thresholds, documented on `QualityOptions`. */
export const defaults: Required<QualityOptions> = {
  missingIncrease: 0.05,
  invalidShare: 0.01,
  newCategoryShare: 0.01,
  outOfRangeShare: 0.01,
  duplicateIncrease: 0.01,
};

/** The result: issues (errors first) and each column's missing rates. */
export interface QualityResult {
  issues: QualityIssue[];
  missing: Map<string, Counts>;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const pct = (x: number): string => `${(100 * x).toFixed(x > 0 && x < 0.001 ? 3 : 1)}%`;

interface Profile {
  n: number;
  missing: number;
  distinct: number;
}

/** Profiles a numeric sample: count, missing, min, max, distinct (capped at 2). */
function profileNumeric(values: ArrayLike<number>): Profile & { min: number; max: number } {
  let missing = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) missing++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const present = values.length - missing;
  const distinct = present === 0 ? 0 : min === max ? 1 : 2;
  return { n: values.length, missing, distinct, min, max };
}

/** Runs every check on every column; see `QualityOptions` for the severity thresholds. O(n) per column. */
export function checkQuality(input: QualityInput, options: QualityOptions = {}): QualityResult {
  const o = { ...defaults, ...options };
  for (const [key, value] of Object.entries(o)) {
    if (!(value >= 0 && value <= 1))
      throw new RangeError(`invalid ${key}: ${value} (expected a share in [0, 1])`);
  }
  const issues: QualityIssue[] = [];
  const missing = new Map<string, Counts>();
  let rows: Counts | undefined;

  for (const column of input.columns) {
    const name = column.name;
    let ref: Profile;
    let cur: Profile;
    if (column.type === 'numeric') {
      const r = profileNumeric(column.reference);
      const c = profileNumeric(column.current);
      ref = r;
      cur = c;
      if (r.n - r.missing > 0 && c.n - c.missing > 0) {
        let outside = 0;
        for (let i = 0; i < column.current.length; i++) {
          const v = column.current[i];
          if (v < r.min || v > r.max) outside++;
        }
        const share = outside / c.n;
        if (outside > 0) {
          issues.push({
            column: name,
            check: 'out_of_range',
            severity: share >= o.outOfRangeShare ? 'warning' : 'info',
            value: share,
            expected: 0,
            message: `${name}: ${pct(share)} of current values (${outside}) lie outside the reference range [${r.min}, ${r.max}]`,
          });
        }
      }
    } else {
      const r = column.counts?.reference ?? categoryCounts(column.reference);
      const c = column.counts?.current ?? categoryCounts(column.current);
      ref = { n: column.reference.length, missing: r.missing, distinct: r.counts.size };
      cur = { n: column.current.length, missing: c.missing, distinct: c.counts.size };
      const fresh = [...c.counts].filter(([k]) => !r.counts.has(k)).sort((a, b) => b[1] - a[1]);
      if (fresh.length > 0) {
        const count = fresh.reduce((s, [, k]) => s + k, 0);
        const share = count / cur.n;
        const examples = fresh.slice(0, 5).map(([k]) => k);
        issues.push({
          column: name,
          check: 'new_category',
          severity: share >= o.newCategoryShare ? 'warning' : 'info',
          value: share,
          expected: 0,
          examples,
          message: `${name}: ${fresh.length} categor${fresh.length === 1 ? 'y' : 'ies'} absent from the reference (${examples.map((e) => JSON.stringify(e)).join(', ')}${fresh.length > 5 ? ', …' : ''}) hold ${pct(share)} of current rows`,
        });
      }
    }
    rows ??= { reference: ref.n, current: cur.n };
    const missRef = ref.n === 0 ? 0 : ref.missing / ref.n;
    const missCur = cur.n === 0 ? 0 : cur.missing / cur.n;
    missing.set(name, { reference: missRef, current: missCur });
    const invalidCur = column.invalid?.current ?? 0;
    const invalidRef = column.invalid?.reference ?? 0;
    if (missCur === 1 && missRef < 1) {
      issues.push({
        column: name,
        check: 'missing_rate',
        severity: 'error',
        value: missCur,
        expected: missRef,
        message: `${name}: every current value is missing (reference: ${pct(missRef)})`,
      });
    } else if (missCur - missRef >= o.missingIncrease || (missRef === 0 && missCur > 0)) {
      issues.push({
        column: name,
        check: 'missing_rate',
        severity: missCur - missRef >= o.missingIncrease ? 'warning' : 'info',
        value: missCur,
        expected: missRef,
        message: `${name}: missing rate rose from ${pct(missRef)} to ${pct(missCur)}`,
      });
    }
    if (invalidCur > 0 || invalidRef > 0) {
      const share = cur.n === 0 ? 0 : invalidCur / cur.n;
      issues.push({
        column: name,
        check: 'type_mismatch',
        severity: invalidCur === 0 ? 'info' : share >= o.invalidShare ? 'error' : 'warning',
        value: invalidCur,
        expected: 0,
        message: `${name}: ${invalidCur} current value${invalidCur === 1 ? '' : 's'} (reference: ${invalidRef}) could not be read as ${column.type === 'numeric' ? 'numbers' : 'categories'} and count as missing`,
      });
    }
    if (cur.distinct === 1 || (ref.distinct === 1 && cur.distinct !== 0)) {
      const both = ref.distinct === 1 && cur.distinct === 1;
      issues.push({
        column: name,
        check: 'constant_column',
        severity: both || cur.distinct !== 1 ? 'info' : 'warning',
        value: cur.distinct,
        expected: ref.distinct,
        message: both
          ? `${name}: constant in both reference and current`
          : cur.distinct === 1
            ? `${name}: constant in the current data but not in the reference`
            : `${name}: constant in the reference, varies in the current data`,
      });
    }
  }

  if (input.duplicateRows && rows) {
    const { reference, current } = input.duplicateRows;
    const refShare = rows.reference === 0 ? 0 : reference / rows.reference;
    const curShare = rows.current === 0 ? 0 : current / rows.current;
    if (current > 0) {
      issues.push({
        check: 'duplicate_rows',
        // low-cardinality columns repeat rows naturally: warn on a clear rise, not on noise
        severity:
          curShare - refShare >= o.duplicateIncrease && curShare >= 1.5 * refShare ? 'warning' : 'info',
        value: current,
        expected: Math.round(refShare * rows.current),
        message: `${current.toLocaleString('en-US')} current rows (${pct(curShare)}) exactly repeat an earlier row (reference: ${pct(refShare)})`,
      });
    }
  }

  issues.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return { issues, missing };
}

/**
 * The drift tests, each registered once (the model is Evidently's
 * `legacy/calculations/stattests/registry.py`), and the one place where the default tests of a
 * column are chosen from its type and the window's size.
 */

import { chiSquareHomogeneity } from '../stats/chi-square.js';
import { ks2SampSorted } from '../stats/ks.js';
import { alignCategoryCounts, type PairedCounts } from './distributions.js';
import { hellingerDistance } from './hellinger.js';
import { jensenShannonDistance } from './jensen-shannon.js';
import type { DriftColumnType, PreparedCurrent, PreparedReference } from './prepare.js';
import { computePsi } from './psi.js';
import { scaleByStd, wasserstein1Sorted } from './wasserstein.js';

/** The registered drift tests. */
export type DriftTestName = 'ks' | 'chiSquare' | 'psi' | 'jensenShannon' | 'wasserstein' | 'hellinger';

/** What one test computes on a (reference, current) pair. */
export interface DriftTestValue {
  /** The statistic used for decisions (normalised W1 for 'wasserstein'). NaN when undefined. */
  value: number;
  /** The analytic p-value, for kind 'test'. */
  pValue?: number;
  /** W1 in data units, for 'wasserstein'. */
  raw?: number;
}

/** A registered drift test. */
export interface DriftTestSpec {
  name: DriftTestName;
  /** How the reason sentences name it. */
  label: string;
  /** Column types it applies to. */
  columnTypes: readonly DriftColumnType[];
  /** 'test': an analytic p-value decides significance; 'distance': an effect size, significant via the resampled null. */
  kind: 'test' | 'distance';
  /** Effect size from which a change matters (DESIGN.md), for distances. */
  materialFloor?: number;
  /** Computes the statistic on a prepared reference and current window of a matching type. */
  compute(reference: PreparedReference, current: PreparedCurrent): DriftTestValue;
}

function binned(reference: PreparedReference, current: PreparedCurrent): PairedCounts {
  if (reference.type === 'numeric' && current.type === 'numeric') {
    return { ref: reference.binCounts, cur: current.binCounts };
  }
  if (reference.type === 'categorical' && current.type === 'categorical') {
    return alignCategoryCounts(reference.counts, current.counts);
  }
  throw new TypeError(`invalid current: ${current.type} (expected ${reference.type}, as the reference)`);
}

function numeric(reference: PreparedReference, current: PreparedCurrent, test: string) {
  if (reference.type !== 'numeric' || current.type !== 'numeric') {
    throw new TypeError(`invalid column type for ${test}: ${reference.type} (expected numeric)`);
  }
  return { reference, current };
}

/** A distance on bin counts (numeric: reference-quantile bins; categorical: categories), material at 0.1. */
function binnedTest(
  name: DriftTestName,
  label: string,
  distance: (ref: ArrayLike<number>, cur: ArrayLike<number>) => number,
): DriftTestSpec {
  return {
    name,
    label,
    columnTypes: ['numeric', 'categorical'],
    kind: 'distance',
    materialFloor: 0.1,
    compute: (reference, current) => {
      const { ref, cur } = binned(reference, current);
      return { value: distance(ref, cur) };
    },
  };
}

/** Every drift test, by name. */
export const driftTests: Readonly<Record<DriftTestName, DriftTestSpec>> = {
  ks: {
    name: 'ks',
    label: 'KS',
    columnTypes: ['numeric'],
    kind: 'test',
    compute: (ref, cur) => {
      const { reference, current } = numeric(ref, cur, 'ks');
      const r = ks2SampSorted(reference.sorted, current.sorted);
      return r.status === 'ok'
        ? { value: r.statistic, pValue: r.pValue }
        : { value: Number.NaN, pValue: Number.NaN };
    },
  },
  // homogeneity of the 2 × k table (reference, current) × category, no Yates correction even for
  // k = 2, as scipy.stats.chi2_contingency(correction=False)
  chiSquare: {
    name: 'chiSquare',
    label: 'chi-square',
    columnTypes: ['categorical'],
    kind: 'test',
    compute: (ref, cur) => {
      if (ref.type !== 'categorical' || cur.type !== 'categorical') {
        throw new TypeError(`invalid column type for chiSquare: ${ref.type} (expected categorical)`);
      }
      const r = chiSquareHomogeneity(ref.counts, cur.counts);
      return r.status === 'ok'
        ? { value: r.statistic, pValue: r.pValue }
        : { value: Number.NaN, pValue: Number.NaN };
    },
  },
  psi: binnedTest('psi', 'PSI', computePsi),
  jensenShannon: binnedTest('jensenShannon', 'JS distance', jensenShannonDistance),
  // not in DESIGN.md; 0.1 is Evidently's default threshold for its hellinger test
  hellinger: binnedTest('hellinger', 'Hellinger distance', hellingerDistance),
  wasserstein: {
    name: 'wasserstein',
    label: 'normalised W1',
    columnTypes: ['numeric'],
    kind: 'distance',
    materialFloor: 0.1,
    compute: (ref, cur) => {
      const { reference, current } = numeric(ref, cur, 'wasserstein');
      const raw = wasserstein1Sorted(reference.sorted, current.sorted);
      return { value: scaleByStd(raw, reference.std), raw };
    },
  },
};

/** The tests that decide a column: one for significance, one effect size for materiality. */
export interface DefaultTests {
  /** A 'test' (analytic p-value) or a 'distance' (resampled null p-value). */
  significance: DriftTestName;
  /** The distance compared with its material floor. */
  effect: DriftTestName;
}

/** Window size from which the resampled null replaces the analytic test (Evidently switches at 1 000 too). */
export const largeSampleSize = 1000;

/**
 * Default tests by column type and window size n — the one place this choice is made:
 *
 * | type        | n ≤ 1 000                    | n > 1 000                          |
 * |-------------|------------------------------|------------------------------------|
 * | numeric     | KS p-value, PSI ≥ 0.1        | PSI above its resampled null, ≥ 0.1 |
 * | categorical | chi-square p-value, JS ≥ 0.1 | JS above its resampled null, ≥ 0.1  |
 *
 * Small windows use the exact/asymptotic tests (cheap, exact for KS at this size). Large windows
 * make those p-values flag trivia, so the decision moves to the effect size itself, tested
 * against its own null at this n (which also handles ties and sparse categories, where the KS
 * and chi-square approximations fail). PSI is the numeric effect size (quantile bins make it
 * robust to heavy tails and outliers, unlike W1 / std); JS is bounded and handles unseen categories.
 */
export function chooseDefaultTests(columnType: DriftColumnType, n: number): DefaultTests {
  const large = n > largeSampleSize;
  if (columnType === 'numeric')
    return large ? { significance: 'psi', effect: 'psi' } : { significance: 'ks', effect: 'psi' };
  if (columnType === 'categorical') {
    return large
      ? { significance: 'jensenShannon', effect: 'jensenShannon' }
      : { significance: 'chiSquare', effect: 'jensenShannon' };
  }
  throw new TypeError(`invalid columnType: ${columnType} (expected 'numeric' or 'categorical')`);
}

/**
 * Pearson's chi-square test of independence on an r×c contingency table, as
 * scipy.stats.chi2_contingency(table, correction=False):
 * Eᵢⱼ = rowᵢ·colⱼ/N, X² = Σ (Oᵢⱼ − Eᵢⱼ)²/Eᵢⱼ, dof = (r − 1)(c − 1), p = chi2.sf(X², dof).
 *
 * Differences from SciPy, on purpose: rows and columns whose total is 0 are dropped before the
 * test (SciPy raises because an expected frequency would be 0); a table that has one non-empty
 * row or column gives statistic 0, p 1, dof 0 (as SciPy's dof = 0 case); a table with no counts
 * is insufficient data.
 */

import { chiSquareSf } from './distributions.js';
import { type InsufficientData, insufficientData } from './insufficient-data.js';

/** Result of chiSquareContingency. */
export interface ChiSquareResult {
  status: 'ok';
  statistic: number;
  pValue: number;
  /** (r′ − 1)(c′ − 1) for the r′×c′ table left after dropping all-zero rows and columns. */
  dof: number;
  /** Expected counts under independence, same shape as the input (0 in dropped rows/columns). */
  expected: number[][];
}

/** Chi-square test of independence (no continuity correction); see the module comment for zero margins. */
export function chiSquareContingency(table: number[][]): ChiSquareResult | InsufficientData {
  const r = table.length;
  const c = r > 0 ? table[0].length : 0;
  const rowSums = new Float64Array(r);
  const colSums = new Float64Array(c);
  for (let i = 0; i < r; i++) {
    if (table[i].length !== c) {
      throw new RangeError(`invalid table: row ${i} has ${table[i].length} cells (expected ${c}, as row 0)`);
    }
    for (let j = 0; j < c; j++) {
      const v = table[i][j];
      if (!(v >= 0) || !Number.isFinite(v)) {
        throw new RangeError(`invalid table[${i}][${j}]: ${v} (expected a finite count >= 0)`);
      }
      rowSums[i] += v;
      colSums[j] += v;
    }
  }
  let total = 0;
  for (let i = 0; i < r; i++) total += rowSums[i];
  if (total === 0) return insufficientData(0);
  const expected = table.map((row, i) => row.map((_, j) => (rowSums[i] * colSums[j]) / total));
  const keptRows = rowSums.filter((s) => s > 0).length;
  const keptCols = colSums.filter((s) => s > 0).length;
  const dof = (keptRows - 1) * (keptCols - 1);
  if (dof === 0) return { status: 'ok', statistic: 0, pValue: 1, dof, expected };
  let statistic = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const e = expected[i][j];
      if (e === 0) continue;
      const diff = table[i][j] - e;
      statistic += (diff * diff) / e;
    }
  }
  return { status: 'ok', statistic, pValue: chiSquareSf(statistic, dof), dof, expected };
}

/** Result of chiSquareHomogeneity: the test plus the category order of the table's columns. */
export type ChiSquareHomogeneityResult = (ChiSquareResult & { categories: string[] }) | InsufficientData;

/**
 * Chi-square test that two samples of a categorical variable share one distribution: the 2×k
 * table [reference counts; current counts] over the union of categories (reference order first).
 */
export function chiSquareHomogeneity(
  refCounts: Map<string, number>,
  curCounts: Map<string, number>,
): ChiSquareHomogeneityResult {
  const categories = [...new Set([...refCounts.keys(), ...curCounts.keys()])];
  const table = [categories.map((k) => refCounts.get(k) ?? 0), categories.map((k) => curCounts.get(k) ?? 0)];
  const result = chiSquareContingency(table);
  return result.status === 'ok' ? { ...result, categories } : result;
}

/**
 * The verdict of one column's drift and the human sentence that explains it (detect-drift.ts).
 */

import type { ColumnDrift } from './detect-drift.js';
import { driftTests } from './registry.js';

/**
 * Sets a column's verdict (significant, material, drifted) from its p-value (BH-adjusted when
 * present) and debiased effect size, and writes the reason sentence, e.g. "PSI 0.23 ≥ 0.1 and
 * above the null's 95th percentile 0.04 at n=12 000". Mutates and returns `result`.
 */
export function decideColumnDrift(result: ColumnDrift, alpha: number, columns?: number): ColumnDrift {
  const { significance: sig, effect } = result;
  const p = sig.adjustedPValue ?? sig.pValue;
  result.significant = p <= alpha;
  result.material = effect.debiased >= effect.floor;
  result.drifted = result.significant && result.material;
  const shown = formatValue(effect.value);
  const debiased = formatValue(effect.debiased);
  const noiseNote = debiased === shown ? '' : ` (${debiased} without the sampling noise at this n)`;
  const materialPart = `${driftTests[effect.test].label} ${shown}${noiseNote} ${result.material ? '≥' : '<'} ${effect.floor}`;
  let sentence: string;
  if (sig.null) {
    const above = sig.statistic > sig.null.threshold;
    const nullPart = `${above ? 'above' : 'not above'} the null's ${ordinal(Math.round((1 - alpha) * 100))} percentile ${formatValue(sig.null.threshold)}`;
    sentence =
      sig.test === effect.test
        ? `${materialPart} and ${nullPart}`
        : `${driftTests[sig.test].label} ${formatValue(sig.statistic)} ${nullPart} and ${materialPart}`;
  } else {
    sentence = `${driftTests[sig.test].label} p = ${formatValue(sig.pValue)} ${sig.pValue <= alpha ? '≤' : '>'} ${alpha} and ${materialPart}`;
  }
  sentence += ` at n=${formatCount(result.n)}`;
  if (sig.adjustedPValue !== undefined) {
    const cmp = sig.adjustedPValue <= alpha ? '≤' : '>';
    sentence += `; Benjamini–Hochberg adjusted p = ${formatValue(sig.adjustedPValue)} ${cmp} ${alpha} over ${columns} columns`;
  }
  result.reason = sentence;
  return result;
}

function formatValue(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return '∞';
  return Number.isFinite(v) ? String(Number(v.toPrecision(2))) : String(v);
}

function ordinal(k: number): string {
  const suffix = k % 100 >= 11 && k % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th');
  return `${k}${suffix}`;
}

/** An integer with spaces as thousands separators, as "12 000". */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

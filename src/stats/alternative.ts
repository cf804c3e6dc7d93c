/** The alternative hypothesis of a test, as SciPy names it, and its validation. */

/** 'two-sided', 'less' or 'greater' (the first sample's distribution or parameter is below/above the second's). */
export type Alternative = 'two-sided' | 'less' | 'greater';

const alternatives: readonly string[] = ['two-sided', 'less', 'greater'];

/** Throws a RangeError naming the value unless it is a valid Alternative. */
export function checkAlternative(alternative: string): asserts alternative is Alternative {
  if (!alternatives.includes(alternative)) {
    throw new RangeError(`invalid alternative: ${alternative} (expected 'two-sided', 'less' or 'greater')`);
  }
}

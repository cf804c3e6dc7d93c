/**
 * Category encoding shared by the flights features and `plumbline train`: dictionaries listed
 * by decreasing frequency (ties by value, so the same data always gives the same codes), and
 * strings → codes with unknown values and nulls as NaN (missing). Pure.
 */

/** Distinct non-null values by decreasing count (ties by value, code-unit order), at most `top`. */
export function frequencyDictionary(
  values: readonly (string | null)[],
  top = Number.POSITIVE_INFINITY,
): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, top)
    .map(([v]) => v);
}

/** Codes of `values` in `dictionary`; nulls are NaN, unknown values `fallback` (default NaN). */
export function encodeCategories(
  values: readonly (string | null)[],
  dictionary: readonly string[],
  fallback = Number.NaN,
): Float64Array {
  const codes = new Map(dictionary.map((c, i) => [c, i]));
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === null ? Number.NaN : (codes.get(v) ?? fallback);
  }
  return out;
}

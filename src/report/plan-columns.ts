/**
 * Decides which columns a report reads and how: features (by inferred or
 * overridden type), the label, the score and the prediction. Every named
 * column is checked against both files; an unknown one is an error that names
 * it and lists the closest existing names.
 */
import { errors, type Issue } from '../errors.js';
import type { ColumnInfo } from '../io/read-table.js';
import { type ColumnType, inferTypes } from './infer-types.js';

/** The column roles given on the command line. */
export interface ColumnRoles {
  /** The true class (`--label`). */
  label?: string;
  /** P(positive class) (`--score`). */
  score?: string;
  /** The predicted class (`--prediction`). */
  prediction?: string;
  /** Restrict the features to these (`--columns`); default every other column. */
  columns?: string[];
  /** Type overrides (`--numeric`, `--categorical`, `--types`). */
  overrides?: ReadonlyMap<string, ColumnType>;
}

/** What to read: features with their types, and the role columns. */
export interface ColumnPlan {
  features: { name: string; type: Exclude<ColumnType, 'datetime'> }[];
  /** Datetime columns left out of drift (listed for the user). */
  skipped: string[];
  label?: string;
  score?: string;
  prediction?: string;
}

/** Levenshtein edit distance (insert, delete, substitute cost 1), case-insensitive. O(|a|·|b|). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length];
}

/** Up to `k` names closest to `name` (substring matches first, then by edit distance ≤ max(2, |name|/3)). */
export function closeMatches(name: string, candidates: readonly string[], k = 3): string[] {
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.floor(name.length / 3));
  return candidates
    .map((c) => ({
      c,
      d: c.toLowerCase().includes(lower) || lower.includes(c.toLowerCase()) ? 0.5 : editDistance(name, c),
    }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1))
    .slice(0, k)
    .map((x) => x.c);
}

function unknown(field: string, name: string, where: string, available: readonly string[]): Issue {
  const close = closeMatches(name, available);
  return {
    field,
    value: name,
    expected: close.length
      ? `a column of ${where}; did you mean ${close.map((c) => JSON.stringify(c)).join(' or ')}?`
      : `a column of ${where} (columns: ${available.slice(0, 12).join(', ')}${available.length > 12 ? ', …' : ''})`,
  };
}

/** Plans the read; throws `PLB_ERR_UNKNOWN_COLUMN` listing every unknown name with close matches. */
export function planColumns(
  reference: { path: string; columns: readonly ColumnInfo[] },
  current: { path: string; columns: readonly ColumnInfo[] },
  roles: ColumnRoles,
): ColumnPlan {
  const refNames = reference.columns.map((c) => c.name);
  const curNames = new Set(current.columns.map((c) => c.name));
  const issues: Issue[] = [];
  const check = (field: string, name: string) => {
    if (!refNames.includes(name))
      issues.push(unknown(field, name, `the reference (${reference.path})`, refNames));
    else if (!curNames.has(name))
      issues.push(unknown(field, name, `the current file (${current.path})`, [...curNames]));
  };
  for (const field of ['label', 'score', 'prediction'] as const) {
    const name = roles[field];
    if (name !== undefined) check(`--${field}`, name);
  }
  for (const name of roles.columns ?? []) check('--columns', name);
  for (const name of roles.overrides?.keys() ?? []) {
    if (!refNames.includes(name))
      issues.push(unknown('--types', name, `the reference (${reference.path})`, refNames));
  }
  const roleNames = new Set([roles.label, roles.score, roles.prediction].filter((x) => x !== undefined));
  const candidates = roles.columns ?? refNames.filter((n) => !roleNames.has(n));
  if (!roles.columns) {
    for (const name of candidates) if (!curNames.has(name)) check('column', name);
  }
  if (issues.length > 0) {
    const names = issues.map((i) => JSON.stringify(i.value)).join(', ');
    throw errors.unknownColumn(`unknown column${issues.length === 1 ? '' : 's'}: ${names}`, issues);
  }
  const types = inferTypes(reference.columns, roles.overrides);
  const features: ColumnPlan['features'] = [];
  const skipped: string[] = [];
  for (const name of candidates) {
    const type = types.get(name) ?? 'categorical';
    if (type === 'datetime') skipped.push(name);
    else features.push({ name, type });
  }
  return { features, skipped, label: roles.label, score: roles.score, prediction: roles.prediction };
}

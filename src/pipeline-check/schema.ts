/**
 * Check 1, schema: added / removed / renamed columns (a removed and an added column with
 * near-identical distributions: two-sample KS statistic ≤ 0.01 for numbers, total variation ≤ 0.01
 * for categories, same null rate within 0.5 points), type changes and null-rate changes (larger than
 * 1 point and 4 standard errors of the difference of two proportions). Pure.
 */
import { ks2Samp } from '../stats/ks.js';
import { missingRate } from './table.js';
import type { FeatureColumnData, Finding } from './types.js';

/** Options of {@link checkSchema}. */
export interface SchemaOptions {
  /** Largest KS statistic / total variation for a removed+added pair to count as a rename. Default 0.01. */
  renameDistance?: number;
  /** Smallest null-rate change reported (absolute). Default 0.01. */
  nullRateChange?: number;
}

const defaults = { renameDistance: 0.01, nullRateChange: 0.01 };

/** Category frequencies (nulls skipped). */
export function categoryCounts(values: readonly (string | null)[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) if (v !== null) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** Non-missing numeric values. */
export function presentValues(values: Float64Array): Float64Array {
  return values.filter((v) => !Number.isNaN(v));
}

/** Distance between two columns' distributions: KS statistic or total variation (NaN across kinds). */
export function distributionDistance(a: FeatureColumnData, b: FeatureColumnData): number {
  if (a.kind === 'categorical' && b.kind === 'categorical') {
    const ca = categoryCounts(a.values);
    const cb = categoryCounts(b.values);
    const na = [...ca.values()].reduce((s, v) => s + v, 0) || 1;
    const nb = [...cb.values()].reduce((s, v) => s + v, 0) || 1;
    let tv = 0;
    for (const k of new Set([...ca.keys(), ...cb.keys()]))
      tv += Math.abs((ca.get(k) ?? 0) / na - (cb.get(k) ?? 0) / nb);
    return tv / 2;
  }
  if (a.kind !== 'categorical' && b.kind !== 'categorical') {
    const x = presentValues(a.values);
    const y = presentValues(b.values);
    if (x.length === 0 || y.length === 0) return Number.NaN;
    const r = ks2Samp(x, y, { method: 'asymp' });
    return r.status === 'ok' ? r.statistic : Number.NaN;
  }
  return Number.NaN;
}

/** Schema findings for the feature columns of both sides (key/label/time columns already removed). */
export function checkSchema(
  before: readonly FeatureColumnData[],
  after: readonly FeatureColumnData[],
  options: SchemaOptions = {},
): Finding[] {
  const o = { ...defaults, ...options };
  const findings: Finding[] = [];
  const afterNames = new Set(after.map((c) => c.name));
  const beforeNames = new Set(before.map((c) => c.name));
  const removed = before.filter((c) => !afterNames.has(c.name));
  const added = after.filter((c) => !beforeNames.has(c.name));
  const renamedAdded = new Set<string>();
  for (const r of removed) {
    const match = added
      .filter((a) => !renamedAdded.has(a.name) && a.kind === r.kind)
      .map((a) => ({ a, d: distributionDistance(r, a), dn: Math.abs(missingRate(r) - missingRate(a)) }))
      .filter((m) => m.d <= o.renameDistance && m.dn <= 0.005)
      .sort((p, q) => p.d - q.d)[0];
    if (match) {
      renamedAdded.add(match.a.name);
      findings.push({
        check: 'schema',
        kind: 'renamed-column',
        feature: r.name,
        verdict: 'fail',
        severity: 'error',
        cause: 'preprocessing-bug',
        message: `${r.name} looks renamed to ${match.a.name} (distributions match: distance ${match.d.toFixed(4)}); a model reading ${r.name} gets nothing`,
        evidence: { from: r.name, to: match.a.name, distance: match.d },
      });
    } else {
      findings.push({
        check: 'schema',
        kind: 'removed-column',
        feature: r.name,
        verdict: 'fail',
        severity: 'error',
        cause: 'preprocessing-bug',
        message: `${r.name} is no longer produced`,
        evidence: { kind: r.kind },
      });
    }
  }
  for (const a of added) {
    if (renamedAdded.has(a.name)) continue;
    findings.push({
      check: 'schema',
      kind: 'added-column',
      feature: a.name,
      verdict: 'pass',
      severity: 'info',
      message: `${a.name} is new (checked for leakage below)`,
      evidence: { kind: a.kind },
    });
  }
  for (const b of before) {
    const a = after.find((c) => c.name === b.name);
    if (!a) continue;
    if ((a.kind === 'categorical') !== (b.kind === 'categorical')) {
      findings.push({
        check: 'schema',
        kind: 'type-change',
        feature: b.name,
        verdict: 'fail',
        severity: 'error',
        cause: 'preprocessing-bug',
        message: `${b.name} changed type: ${b.kind} → ${a.kind}`,
        evidence: { before: b.kind, after: a.kind },
      });
      continue;
    }
    const nb = b.values.length;
    const na = a.values.length;
    const pb = missingRate(b);
    const pa = missingRate(a);
    const pooled = (pb * nb + pa * na) / (nb + na);
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / nb + 1 / na));
    const changed = Math.abs(pa - pb) > o.nullRateChange && Math.abs(pa - pb) > 4 * se;
    if (changed)
      findings.push({
        check: 'schema',
        kind: 'null-rate-change',
        feature: b.name,
        verdict: 'fail',
        severity: 'error',
        cause: 'preprocessing-bug',
        message: `${b.name} null rate ${(100 * pb).toFixed(1)}% → ${(100 * pa).toFixed(1)}%`,
        evidence: { before: pb, after: pa, standardError: se },
      });
  }
  if (findings.every((f) => f.verdict === 'pass'))
    findings.push({
      check: 'schema',
      kind: 'schema',
      feature: null,
      verdict: 'pass',
      severity: 'info',
      message: `same ${before.length} feature columns, types and null rates${added.length ? ` (plus ${added.length} new)` : ''}`,
      evidence: { columns: before.length, added: added.map((c) => c.name) },
    });
  return findings;
}

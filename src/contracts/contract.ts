/**
 * Feature contracts: what a feature looked like on a reference batch — type, null rate,
 * units-sensitive statistics (mean, std, min/max, quantiles 1 %…99 %, type 7 as NumPy) or allowed
 * categories with their shares and encoding (labels, or integer codes) — with tolerances, so that
 * every later batch can be checked against it (`checkContract`) and tests can assert parity
 * (`expectFeatureParity`). Pure: plain objects in and out; YAML is written at the CLI edge.
 */
import { moments, nameRatio } from '../pipeline-check/transforms.js';
import type { FeatureColumnData, FeatureTable } from '../pipeline-check/types.js';
import { formatPercent } from '../report/svg.js';
import { quantilesSorted, sortFloat64 } from '../stats/quantile.js';

/** Tolerances of one feature (all editable in the contract file). */
export interface ContractTolerance {
  /** Allowed increase of the null rate (absolute). Default 0.02. */
  nullRate: number;
  /** Allowed move of each quantile p05…p95, as a share of the reference IQR (numeric). Default 0.25. */
  quantile?: number;
  /** Allowed move of the mean, in reference standard deviations (numeric). Default 0.25. */
  mean?: number;
  /** Allowed ratio of standard deviations, either way (numeric). Default 1.5. */
  stdRatio?: number;
  /** Allowed share of values outside the allowed categories (categorical). Default 0.01. */
  unseen?: number;
  /** Allowed total variation between category shares (categorical). Default 0.1. */
  shares?: number;
}

/** Contract of a numeric feature. */
export interface NumericContract {
  type: 'numeric';
  nullRate: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Quantiles by probability label: p01, p05, p25, p50, p75, p95, p99. */
  quantiles: Record<string, number>;
  tolerance: ContractTolerance;
}

/** Contract of a categorical feature (labels, or integer codes of an encoding). */
export interface CategoricalContract {
  type: 'categorical';
  /** `labels` (text categories) or `codes` (integer codes of a category encoding). */
  encoding: 'labels' | 'codes';
  nullRate: number;
  /** Allowed categories and their reference shares (of non-missing values). */
  categories: Record<string, number>;
  tolerance: ContractTolerance;
}

/** A feature contract file. */
export interface Contract {
  version: 1;
  /** Rows of the reference batch. */
  rows: number;
  features: Record<string, NumericContract | CategoricalContract>;
}

/** One broken rule. */
export interface ContractViolation {
  feature: string;
  rule:
    | 'missing-column'
    | 'type'
    | 'null-rate'
    | 'quantile'
    | 'mean'
    | 'std'
    | 'unseen-categories'
    | 'category-shares';
  /** A sentence naming the feature, the value, and what was expected. */
  message: string;
  expected: unknown;
  actual: unknown;
}

/** Options of {@link generateContract}. */
export interface ContractOptions {
  /** Columns left out (keys, labels, timestamps). Default none. */
  exclude?: readonly string[];
  /** Integer columns with at most this many distinct values are contracted as category codes. Default 0 (never). */
  maxCodes?: number;
  /** Override default tolerances. */
  tolerance?: Partial<ContractTolerance>;
}

const numericTolerance: ContractTolerance = { nullRate: 0.02, quantile: 0.25, mean: 0.25, stdRatio: 1.5 };
const categoricalTolerance: ContractTolerance = { nullRate: 0.02, unseen: 0.01, shares: 0.1 };
const QUANTILES: [string, number][] = [
  ['p01', 0.01],
  ['p05', 0.05],
  ['p25', 0.25],
  ['p50', 0.5],
  ['p75', 0.75],
  ['p95', 0.95],
  ['p99', 0.99],
];
const defaults = { exclude: [] as readonly string[], maxCodes: 0 };

const round = (x: number) => Number(x.toPrecision(10));

function categoryShares(labels: Iterable<string | null>): {
  shares: Map<string, number>;
  n: number;
  missing: number;
} {
  const counts = new Map<string, number>();
  let n = 0;
  let missing = 0;
  for (const v of labels) {
    if (v === null) missing++;
    else {
      counts.set(v, (counts.get(v) ?? 0) + 1);
      n++;
    }
  }
  for (const [k, c] of counts) counts.set(k, c / Math.max(n, 1));
  return { shares: counts, n, missing };
}

/** Text labels of a column: categories as they are, integer codes as strings. */
function labelsOf(column: FeatureColumnData): (string | null)[] {
  if (column.kind === 'categorical') return column.values as (string | null)[];
  return Array.from(column.values, (v) => (Number.isNaN(v) ? null : String(v)));
}

function isCodeColumn(column: FeatureColumnData, maxCodes: number): boolean {
  if (column.kind === 'categorical' || maxCodes <= 0) return false;
  const seen = new Set<number>();
  for (const v of column.values) {
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) return false;
    seen.add(v);
    if (seen.size > maxCodes) return false;
  }
  return true;
}

/** Records a contract from a reference batch (see the module comment). */
export function generateContract(table: FeatureTable, options: ContractOptions = {}): Contract {
  const o = { ...defaults, ...options };
  const features: Contract['features'] = {};
  const rows = table[0]?.values.length ?? 0;
  for (const column of table) {
    if (o.exclude.includes(column.name)) continue;
    if (column.kind === 'categorical' || isCodeColumn(column, o.maxCodes)) {
      const { shares, missing } = categoryShares(labelsOf(column));
      const sorted = [...shares.entries()].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1));
      features[column.name] = {
        type: 'categorical',
        encoding: column.kind === 'categorical' ? 'labels' : 'codes',
        nullRate: round(missing / Math.max(rows, 1)),
        categories: Object.fromEntries(sorted.map(([k, s]) => [k, round(s)])),
        tolerance: { ...categoricalTolerance, ...o.tolerance },
      };
      continue;
    }
    const present = column.values.filter((v) => !Number.isNaN(v));
    const sorted = sortFloat64(present);
    const q = quantilesSorted(
      sorted,
      QUANTILES.map(([, p]) => p),
    );
    const { mean, sd: std } = moments(present);
    features[column.name] = {
      type: 'numeric',
      nullRate: round(1 - present.length / Math.max(rows, 1)),
      mean: round(mean),
      std: round(std),
      min: sorted[0] ?? Number.NaN,
      max: sorted[sorted.length - 1] ?? Number.NaN,
      quantiles: Object.fromEntries(QUANTILES.map(([label], i) => [label, round(q[i])])),
      tolerance: { ...numericTolerance, ...o.tolerance },
    };
  }
  return { version: 1, rows, features };
}

const fmt = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x));

/** Checks a batch against a contract; returns every violation (empty when the batch complies). */
export function checkContract(contract: Contract, table: FeatureTable): ContractViolation[] {
  if (contract?.version !== 1 || typeof contract.features !== 'object')
    throw new TypeError(
      `invalid contract: version ${String(contract?.version)} (expected version 1 with features)`,
    );
  const out: ContractViolation[] = [];
  for (const [name, spec] of Object.entries(contract.features)) {
    const column = table.find((c) => c.name === name);
    if (!column) {
      out.push({
        feature: name,
        rule: 'missing-column',
        message: `${name}: column missing from the batch`,
        expected: 'present',
        actual: 'absent',
      });
      continue;
    }
    const n = column.values.length;
    if (spec.type === 'numeric') {
      if (column.kind === 'categorical') {
        out.push({
          feature: name,
          rule: 'type',
          message: `${name}: expected numbers, got text categories`,
          expected: 'numeric',
          actual: 'categorical',
        });
        continue;
      }
      checkNumeric(name, spec, column.values, n, out);
    } else {
      const { shares, missing } = categoryShares(labelsOf(column));
      checkNullRate(name, spec, missing / Math.max(n, 1), out);
      let unseen = 0;
      const unseenExamples: string[] = [];
      for (const [k, s] of shares)
        if (!(k in spec.categories)) {
          unseen += s;
          if (unseenExamples.length < 5) unseenExamples.push(k);
        }
      const tol = spec.tolerance;
      if (unseen > (tol.unseen ?? 0.01))
        out.push({
          feature: name,
          rule: 'unseen-categories',
          message: `${name}: ${formatPercent(unseen)} of values are not allowed categories (e.g. ${unseenExamples.join(', ')}); at most ${formatPercent(tol.unseen ?? 0.01)} expected`,
          expected: tol.unseen,
          actual: unseen,
        });
      let tv = 0;
      for (const k of new Set([...Object.keys(spec.categories), ...shares.keys()]))
        tv += Math.abs((spec.categories[k] ?? 0) - (shares.get(k) ?? 0));
      tv /= 2;
      if (tv > (tol.shares ?? 0.1)) {
        const moved = Object.entries(spec.categories)
          .map(([k, s]) => [k, s, shares.get(k) ?? 0] as const)
          .sort((p, q) => Math.abs(q[2] - q[1]) - Math.abs(p[2] - p[1]))
          .slice(0, 3);
        out.push({
          feature: name,
          rule: 'category-shares',
          message: `${name}: category shares moved by ${formatPercent(tv)} (total variation; at most ${formatPercent(tol.shares ?? 0.1)}): ${moved
            .map(([k, s, a]) => `${k} ${formatPercent(s)} → ${formatPercent(a)}`)
            .join(', ')}${spec.encoding === 'codes' ? ' — were the category codes re-encoded?' : ''}`,
          expected: tol.shares,
          actual: tv,
        });
      }
    }
  }
  return out;
}

function checkNullRate(
  name: string,
  spec: NumericContract | CategoricalContract,
  rate: number,
  out: ContractViolation[],
): void {
  if (rate > spec.nullRate + spec.tolerance.nullRate)
    out.push({
      feature: name,
      rule: 'null-rate',
      message: `${name}: null rate ${formatPercent(rate)}, expected at most ${formatPercent(spec.nullRate + spec.tolerance.nullRate)} (reference ${formatPercent(spec.nullRate)})`,
      expected: spec.nullRate + spec.tolerance.nullRate,
      actual: rate,
    });
}

function checkNumeric(
  name: string,
  spec: NumericContract,
  values: Float64Array,
  n: number,
  out: ContractViolation[],
): void {
  const present = values.filter((v) => !Number.isNaN(v));
  checkNullRate(name, spec, 1 - present.length / Math.max(n, 1), out);
  if (present.length === 0) return;
  const tol = { ...numericTolerance, ...spec.tolerance };
  const sorted = sortFloat64(present);
  // the 1 % and 99 % quantiles are recorded but not checked: too noisy on small batches
  const labels = QUANTILES.filter(([label]) => label in spec.quantiles && label !== 'p01' && label !== 'p99');
  const q = quantilesSorted(
    sorted,
    labels.map(([, p]) => p),
  );
  const iqr = (spec.quantiles.p75 ?? 0) - (spec.quantiles.p25 ?? 0);
  const scale = iqr > 0 ? iqr : spec.std > 0 ? spec.std : Math.max(Math.abs(spec.quantiles.p50 ?? 0), 1e-12);
  const allowed = (tol.quantile ?? 0.25) * scale;
  const off = labels
    .map(([label], i) => ({ label, ref: spec.quantiles[label], cur: q[i] }))
    .filter((x) => Math.abs(x.cur - x.ref) > allowed);
  // a unit change moves every quantile by one factor: name it
  const med = spec.quantiles.p50;
  const ratio = med ? q[labels.findIndex(([l]) => l === 'p50')] / med : Number.NaN;
  const unit = Number.isFinite(ratio) ? (nameRatio(ratio, 0.02) ?? hint(ratio)) : undefined;
  if (off.length > 0)
    out.push({
      feature: name,
      rule: 'quantile',
      message: `${name}: ${off
        .map((x) => `${x.label} ${fmt(x.cur)} (expected ${fmt(x.ref)} ± ${fmt(allowed)})`)
        .slice(0, 3)
        .join(
          ', ',
        )}${off.length > 3 ? `, +${off.length - 3} more` : ''}${unit ? `; values are ×${fmt(ratio)} the reference — ${unit}?` : ''}`,
      expected: Object.fromEntries(off.map((x) => [x.label, x.ref])),
      actual: Object.fromEntries(off.map((x) => [x.label, x.cur])),
    });
  const { mean, sd: std } = moments(present);
  if (Math.abs(mean - spec.mean) > (tol.mean ?? 0.25) * (spec.std || 1))
    out.push({
      feature: name,
      rule: 'mean',
      message: `${name}: mean ${fmt(mean)}, expected ${fmt(spec.mean)} ± ${fmt((tol.mean ?? 0.25) * (spec.std || 1))}`,
      expected: spec.mean,
      actual: mean,
    });
  const r = spec.std > 0 ? std / spec.std : std > 0 ? Number.POSITIVE_INFINITY : 1;
  const limit = tol.stdRatio ?? 1.5;
  if (r > limit || r < 1 / limit)
    out.push({
      feature: name,
      rule: 'std',
      message: `${name}: standard deviation ${fmt(std)}, expected ${fmt(spec.std)} (within ×${limit} either way)`,
      expected: spec.std,
      actual: std,
    });
}

/** Names a round scaling factor (×10ⁿ) when the ratio is close to one. */
function hint(ratio: number): string | undefined {
  const l = Math.log10(Math.abs(ratio));
  return Math.abs(l - Math.round(l)) < 0.01 && Math.round(l) !== 0
    ? `a ×10^${Math.round(l)} scaling`
    : undefined;
}

/** Options of {@link expectFeatureParity}. */
export interface ParityOptions extends ContractOptions {}

/**
 * Asserts that `after` keeps the contract recorded from `before` (same features, types, null
 * rates, scale, categories); throws an Error listing every violation. For pipelines' unit tests.
 */
export function expectFeatureParity(
  before: FeatureTable,
  after: FeatureTable,
  options: ParityOptions = {},
): void {
  const violations = checkContract(
    generateContract(before, options),
    after.filter((c) => !options.exclude?.includes(c.name)),
  );
  if (violations.length > 0)
    throw new Error(
      `feature parity violated (${violations.length} issue${violations.length > 1 ? 's' : ''}):\n${violations.map((v) => `  - ${v.message}`).join('\n')}`,
    );
}

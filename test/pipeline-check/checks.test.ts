/** The individual checks on small synthetic tables with one known change each. */
import { describe, expect, it } from 'vitest';
import { binaryLabel, checkPipeline } from '../../src/pipeline-check/check-pipeline.js';
import { checkLeakage } from '../../src/pipeline-check/leakage.js';
import { checkSchema } from '../../src/pipeline-check/schema.js';
import { isIdentifier, pairByKey } from '../../src/pipeline-check/table.js';
import type { FeatureColumnData } from '../../src/pipeline-check/types.js';
import { createRng } from '../../src/stats/random.js';

const n = 3000;
const rng = createRng(7);
const x = Float64Array.from({ length: n }, () => rng.normal());
const z = Float64Array.from({ length: n }, () => 10 + rng.normal());
const plan = Array.from({ length: n }, () => (rng.next() < 0.3 ? 'pro' : 'free'));
const label = Float64Array.from(x, (v) => (v + rng.normal() > 0.5 ? 1 : 0));
const num = (name: string, values: Float64Array): FeatureColumnData => ({ name, kind: 'numeric', values });

describe('checkSchema', () => {
  const before = [num('x', x), num('z', z), { name: 'plan', kind: 'categorical' as const, values: plan }];
  it('finds a rename, a removal, a type change and a null-rate change', () => {
    const after = [
      num('x_renamed', x),
      { name: 'plan', kind: 'categorical' as const, values: plan.map((p, i) => (i % 10 === 0 ? null : p)) },
    ];
    const f = checkSchema(before, after);
    expect(f.find((x) => x.kind === 'renamed-column')?.evidence).toMatchObject({
      from: 'x',
      to: 'x_renamed',
    });
    expect(f.find((x) => x.kind === 'removed-column')?.feature).toBe('z');
    expect(f.find((x) => x.kind === 'null-rate-change')?.feature).toBe('plan');
    const typed = checkSchema(before, [
      num('x', x),
      { name: 'z', kind: 'categorical', values: Array.from(z, String) },
      before[2],
    ]);
    expect(typed.map((x) => [x.kind, x.feature])).toEqual([['type-change', 'z']]);
  });
  it('passes identical schemas', () => {
    expect(checkSchema(before, before).map((f) => f.verdict)).toEqual(['pass']);
  });
});

describe('checkLeakage', () => {
  it('flags a label function, a strong feature and future timestamps; not an ordinary feature', () => {
    const y = Uint8Array.from(label);
    const predicted = Float64Array.from({ length: n }, (_, i) => 1e12 + i * 1000);
    const f = checkLeakage({
      after: [
        num('x', x),
        num(
          'outcome_code',
          Float64Array.from(y, (v) => 3 - 2 * v),
        ),
        num(
          'refund_at',
          predicted.map((t, i) => (i % 20 === 0 ? t + 5000 : t - 5000)),
        ),
      ],
      labelAfter: y,
      timeColumns: [
        num('prediction_time', predicted),
        num(
          'refund_at',
          predicted.map((t, i) => (i % 20 === 0 ? t + 5000 : t - 5000)),
        ),
      ],
    });
    expect(f.find((x) => x.feature === 'outcome_code')?.kind).toBe('label-function');
    expect(f.some((x) => x.feature === 'x' && x.verdict === 'fail')).toBe(false);
    const future = f.find((x) => x.kind === 'future-timestamp' && x.feature === 'refund_at');
    expect(future?.verdict).toBe('fail');
    expect(future?.evidence.share).toBeCloseTo(0.05, 10);
  });
  it('flags a jump in single-feature AUC', () => {
    const y = Uint8Array.from(label);
    const sharper = Float64Array.from(x, (v, i) => v + 3 * y[i]);
    const f = checkLeakage({
      before: [num('x', x)],
      after: [num('x', sharper)],
      labelBefore: y,
      labelAfter: y,
    });
    expect(f.find((x) => x.feature === 'x')?.kind).toMatch(/auc-jump|label-auc/);
  });
});

describe('distributional null fills (no key)', () => {
  it('finds missing values now filled with a constant, and a fill value dropped', () => {
    const withNan = x.map((v, i) => (i % 8 === 0 ? Number.NaN : v));
    const other = Float64Array.from({ length: n }, () => rng.normal());
    const filled = other.map((v, i) => (i % 8 === 3 ? -1 : v));
    const r = checkPipeline({ before: [num('x', withNan)], after: [num('x', filled)] });
    const f = r.findings.find((f) => f.check === 'transform' && f.feature === 'x');
    expect(f?.kind).toBe('null-fill');
    expect(f?.message).toContain('now filled with -1');
    expect(r.verdicts).toEqual(['preprocessing-bug']);
    const cat = (values: (string | null)[]): FeatureColumnData => ({
      name: 'plan',
      kind: 'categorical',
      values,
    });
    const g = checkPipeline({
      before: [cat(plan.map((p) => (p === 'pro' ? 'UNKNOWN' : p)))],
      after: [cat(plan.map((p) => (p === 'pro' ? null : p)))],
    });
    expect(g.findings.find((f) => f.check === 'transform')?.message).toContain(
      'the fill value UNKNOWN is gone',
    );
  });
});

describe('helpers', () => {
  it('pairs rows by key across orders, counting unmatched and duplicate keys', () => {
    const p = pairByKey(
      num('id', Float64Array.from([1, 2, 3, 4])),
      num('id', Float64Array.from([4, 2, 9, 2])),
    );
    expect(Array.from(p.before)).toEqual([3, 1]);
    expect(Array.from(p.after)).toEqual([0, 1]);
    expect(p).toMatchObject({ unmatchedBefore: 2, unmatchedAfter: 1, duplicates: 1 });
  });
  it('recognises identifiers and binary labels', () => {
    expect(isIdentifier(num('id', Float64Array.from([3, 1, 2])))).toBe(true);
    expect(isIdentifier(num('x', Float64Array.from([3, 1, 3])))).toBe(false);
    expect(isIdentifier(num('x', Float64Array.from([0.5, 1, 2])))).toBe(false);
    expect(Array.from(binaryLabel({ name: 'y', kind: 'categorical', values: ['yes', 'no', 'yes'] }))).toEqual(
      [1, 0, 1],
    );
    expect(() => binaryLabel(num('y', Float64Array.from([0, 2])))).toThrow(RangeError);
  });
  it('rejects a key or label that is not in the data', () => {
    expect(() => checkPipeline({ before: [num('x', x)], after: [num('x', x)], key: 'id' })).toThrow(
      /invalid column "id"/,
    );
  });
  it('skips label checks without a label, and still judges the rest', () => {
    const r = checkPipeline({
      before: [num('x', x)],
      after: [
        num(
          'x',
          x.map((v) => v + 5),
        ),
      ],
    });
    expect(r.verdicts).toEqual(['preprocessing-bug']);
    expect(r.findings.filter((f) => f.verdict === 'skipped').map((f) => f.check)).toEqual(
      expect.arrayContaining(['paired', 'shap']),
    );
  });
});

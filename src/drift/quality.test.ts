import { describe, expect, it } from 'vitest';
import { checkQuality, type QualityColumn, type QualityIssue } from './quality.js';

const NaN_ = Number.NaN;
const range = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
const find = (issues: QualityIssue[], check: string, column?: string) =>
  issues.filter((i) => i.check === check && i.column === column);

describe('checkQuality', () => {
  it('finds nothing when current looks like reference', () => {
    const ref = range(100, (i) => i);
    const cur = range(100, (i) => 99 - i);
    const cats = Array.from({ length: 100 }, (_, i) => (i % 2 ? 'a' : 'b'));
    const { issues, missing } = checkQuality({
      columns: [
        { name: 'x', type: 'numeric', reference: ref, current: cur },
        { name: 'c', type: 'categorical', reference: cats, current: cats },
      ],
      duplicateRows: { reference: 0, current: 0 },
    });
    expect(issues).toEqual([]);
    expect(missing.get('x')).toEqual({ reference: 0, current: 0 });
  });

  it('flags a missing-rate rise as warning, a fully missing column as error, a little new missingness as info', () => {
    const ref = range(100, (i) => i);
    const some = range(100, (i) => (i < 10 ? NaN_ : i));
    const few = range(100, (i) => (i < 2 ? NaN_ : i));
    const all = range(100, () => NaN_);
    const { issues, missing } = checkQuality({
      columns: [
        { name: 'some', type: 'numeric', reference: ref, current: some },
        { name: 'few', type: 'numeric', reference: ref, current: few },
        { name: 'all', type: 'numeric', reference: ref, current: all },
      ],
    });
    expect(find(issues, 'missing_rate', 'some')[0]).toMatchObject({
      severity: 'warning',
      value: 0.1,
      expected: 0,
    });
    expect(find(issues, 'missing_rate', 'few')[0]).toMatchObject({ severity: 'info', value: 0.02 });
    expect(find(issues, 'missing_rate', 'all')[0]).toMatchObject({ severity: 'error', value: 1 });
    expect(issues[0].severity).toBe('error');
    expect(missing.get('some')).toEqual({ reference: 0, current: 0.1 });
  });

  it('reports new categories with their share and examples', () => {
    const ref = Array.from({ length: 100 }, (_, i) => (i % 2 ? 'a' : 'b'));
    const cur = Array.from({ length: 100 }, (_, i) => (i < 5 ? 'zz' : i < 6 ? '<b>' : 'a'));
    const [issue] = find(
      checkQuality({ columns: [{ name: 'c', type: 'categorical', reference: ref, current: cur }] }).issues,
      'new_category',
      'c',
    );
    expect(issue).toMatchObject({ severity: 'warning', value: 0.06, expected: 0, examples: ['zz', '<b>'] });
  });

  it('counts values outside the reference range; a single one among many is info', () => {
    const ref = range(1000, (i) => i);
    const many = range(1000, (i) => (i < 50 ? -1 : i));
    const one = range(1000, (i) => (i === 0 ? 5000 : i));
    const { issues } = checkQuality({
      columns: [
        { name: 'many', type: 'numeric', reference: ref, current: many },
        { name: 'one', type: 'numeric', reference: ref, current: one },
      ],
    });
    expect(find(issues, 'out_of_range', 'many')[0]).toMatchObject({ severity: 'warning', value: 0.05 });
    expect(find(issues, 'out_of_range', 'one')[0]).toMatchObject({ severity: 'info', value: 0.001 });
  });

  it('reports parse failures counted by the reader as type mismatches', () => {
    const ref = range(100, (i) => i);
    const cols: QualityColumn[] = [
      { name: 'bad', type: 'numeric', reference: ref, current: ref, invalid: { reference: 0, current: 5 } },
      { name: 'rare', type: 'numeric', reference: ref, current: ref, invalid: { reference: 0, current: 0 } },
    ];
    const { issues } = checkQuality({ columns: cols });
    expect(find(issues, 'type_mismatch', 'bad')[0]).toMatchObject({
      severity: 'error',
      value: 5,
      expected: 0,
    });
    expect(find(issues, 'type_mismatch', 'rare')).toEqual([]);
  });

  it('detects constant columns', () => {
    const varying = range(10, (i) => i);
    const constant = range(10, () => 3);
    const { issues } = checkQuality({
      columns: [
        { name: 'became', type: 'numeric', reference: varying, current: constant },
        { name: 'always', type: 'categorical', reference: Array(10).fill('k'), current: Array(10).fill('k') },
      ],
    });
    expect(find(issues, 'constant_column', 'became')[0].severity).toBe('warning');
    expect(find(issues, 'constant_column', 'always')[0].severity).toBe('info');
  });

  it('compares duplicate-row shares', () => {
    const x = range(100, (i) => i);
    const col: QualityColumn = { name: 'x', type: 'numeric', reference: x, current: x };
    const up = checkQuality({ columns: [col], duplicateRows: { reference: 0, current: 10 } }).issues;
    expect(find(up, 'duplicate_rows')[0]).toMatchObject({ severity: 'warning', value: 10, expected: 0 });
    const same = checkQuality({ columns: [col], duplicateRows: { reference: 10, current: 10 } }).issues;
    expect(find(same, 'duplicate_rows')[0].severity).toBe('info');
    // 71 % → 73 %: common in low-cardinality data, not a finding
    const natural = checkQuality({ columns: [col], duplicateRows: { reference: 71, current: 73 } }).issues;
    expect(find(natural, 'duplicate_rows')[0].severity).toBe('info');
  });

  it('rejects invalid thresholds', () => {
    expect(() => checkQuality({ columns: [] }, { missingIncrease: 2 })).toThrow(RangeError);
  });
});

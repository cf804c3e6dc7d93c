import { describe, expect, it } from 'vitest';
import { discoverSlices, type SliceColumn } from '../../src/rca/slices.js';
import { createRng } from '../../src/stats/random.js';

/** Rows with three categorical columns and one numeric; errors at `base` except where `planted` says. */
function data(
  seed: number,
  n: number,
  planted: (a: string, b: string, x: number) => number | null,
  base = 0.1,
) {
  const rng = createRng(seed);
  const a: string[] = [];
  const b: string[] = [];
  const c: string[] = [];
  const x = new Float64Array(n);
  const errors = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    a.push(['a0', 'a1', 'a2', 'a3'][rng.int(4)]);
    b.push(['b0', 'b1', 'b2'][rng.int(3)]);
    c.push(['c0', 'c1'][rng.int(2)]);
    x[r] = rng.normal();
    const p = planted(a[r], b[r], x[r]) ?? base;
    errors[r] = rng.next() < p ? 1 : 0;
  }
  return { a, b, c, x, errors };
}

function columns(cur: ReturnType<typeof data>, base: ReturnType<typeof data>): SliceColumn[] {
  return [
    { name: 'a', type: 'categorical', current: cur.a, baseline: base.a },
    { name: 'b', type: 'categorical', current: cur.b, baseline: base.b },
    { name: 'c', type: 'categorical', current: cur.c, baseline: base.c },
    { name: 'x', type: 'numeric', current: cur.x, baseline: base.x },
  ];
}

describe('discoverSlices', () => {
  const cases = [
    { name: 'one value', planted: (a: string) => (a === 'a2' ? 0.5 : null), expected: [['a', 'a2']] },
    {
      name: 'a conjunction of two',
      planted: (a: string, b: string) => (a === 'a1' && b === 'b2' ? 0.7 : null),
      expected: [
        ['a', 'a1'],
        ['b', 'b2'],
      ],
    },
    {
      name: 'a numeric tail (top quartile of x)',
      planted: (_a: string, _b: string, x: number) => (x > 0.8 ? 0.6 : null),
      expected: [['x', null]],
    },
  ];
  for (const tc of cases) {
    it(`puts the planted segment first: ${tc.name}`, () => {
      const base = data(1, 6000, () => null);
      const cur = data(2, 6000, tc.planted);
      const out = discoverSlices({
        columns: columns(cur, base),
        errors: { current: cur.errors, baseline: base.errors },
      });
      const top = out.slices[0];
      expect(top.confirmed).toBe(true);
      expect(top.conditions.map((c) => c.column).sort()).toEqual(tc.expected.map((e) => e[0]));
      for (const [col, value] of tc.expected) {
        if (value !== null) expect(top.conditions.find((c) => c.column === col)?.value).toBe(value);
      }
      if (tc.expected[0][0] === 'x') expect(top.conditions[0].range?.high).toBe(Number.POSITIVE_INFINITY);
      expect(top.current.rate).toBeGreaterThan(top.baseline.rate);
      expect(top.current.interval.low).toBeLessThan(top.current.rate);
      expect(top.shareExplained).toBeGreaterThan(0.5);
      expect(top.shareExplained).toBeLessThanOrEqual(1.2);
    });
  }

  it('confirms nothing when nothing changed', () => {
    const base = data(3, 5000, () => null);
    const cur = data(4, 5000, () => null);
    const out = discoverSlices({
      columns: columns(cur, base),
      errors: { current: cur.errors, baseline: base.errors },
    });
    expect(out.slices.filter((s) => s.confirmed)).toEqual([]);
  });

  it('does not confirm a segment that was already as bad in the baseline', () => {
    const hard = (a: string) => (a === 'a3' ? 0.5 : null);
    const base = data(5, 6000, hard);
    const cur = data(6, 6000, hard);
    const out = discoverSlices({
      columns: columns(cur, base),
      errors: { current: cur.errors, baseline: base.errors },
    });
    expect(
      out.slices.some((s) => s.confirmed && s.conditions.length === 1 && s.conditions[0].value === 'a3'),
    ).toBe(false);
  });

  it('skips unlabelled rows and rejects non-binary errors', () => {
    const base = data(7, 500, () => null);
    const cur = data(8, 500, () => null);
    cur.errors[0] = Number.NaN;
    const out = discoverSlices({
      columns: columns(cur, base),
      errors: { current: cur.errors, baseline: base.errors },
    });
    expect(out.overall.current.n).toBe(499);
    cur.errors[1] = 0.5;
    expect(() =>
      discoverSlices({ columns: columns(cur, base), errors: { current: cur.errors, baseline: base.errors } }),
    ).toThrow(/errors.current\[1\]: 0.5/);
  });
});

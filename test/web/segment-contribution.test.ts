/**
 * The RCA segment tables' contribution columns (src/rca/segment-contribution.ts): excess errors as a
 * count and the share of the net rise capped at 100 %, flagged when another segment's errors fell.
 */
import { describe, expect, it } from 'vitest';
import type { StoredRcaReport } from '../../src/rca/charts.js';
import { renderRcaHtml } from '../../src/rca/render-html.js';
import {
  formatExcessErrors,
  type SegmentRowFigures,
  segmentContributions,
} from '../../src/rca/segment-contribution.js';
import { discoverSlices } from '../../src/rca/slices.js';

/**
 * 1 200 rows per window in three segments of 400. Baseline error rates A 10 %, B 40 %, C 20 %; now
 * A 40 % (+120 errors), B 20 % (−80), C 20 %: the net rise is 40 errors, A alone carries 120.
 */
function aRisesBFalls() {
  const rates = { baseline: { A: 0.1, B: 0.4, C: 0.2 }, current: { A: 0.4, B: 0.2, C: 0.2 } };
  const window = (r: Record<'A' | 'B' | 'C', number>) => {
    const cat: string[] = [];
    const errors: number[] = [];
    for (const k of ['A', 'B', 'C'] as const)
      for (let i = 0; i < 400; i++) {
        cat.push(k);
        errors.push(i < r[k] * 400 ? 1 : 0);
      }
    return { cat, errors };
  };
  const base = window(rates.baseline);
  const cur = window(rates.current);
  return discoverSlices({
    columns: [{ name: 'cat', type: 'categorical', current: cur.cat, baseline: base.cat }],
    errors: { current: cur.errors, baseline: base.errors },
  });
}

/** The figures `chartsOf` keeps of a slice (src/rca/charts.ts) that the contribution reads. */
const figuresOf = (s: ReturnType<typeof aRisesBFalls>['slices'][number]): SegmentRowFigures => ({
  n: s.current.n,
  rateNow: s.current.rate,
  rateBaseline: s.baseline.rate,
  shareExplained: s.shareExplained,
});

describe('segmentContributions', () => {
  it('a segment that rose while another fell: its excess is a count, its share capped at 100 % and flagged', () => {
    const result = aRisesBFalls();
    const a = result.slices.find((s) => s.confirmed && s.conditions[0].value === 'A');
    expect(a).toBeDefined();
    expect(result.slices.some((s) => s.confirmed && s.conditions[0].value === 'B')).toBe(false); // B fell
    expect(a?.shareExplained).toBeCloseTo(3, 9); // the raw share: 120 / 40
    const c = segmentContributions([figuresOf(a as NonNullable<typeof a>)]);
    expect(c.netRise).toBeCloseTo(40, 9); // N · (ē − ē_baseline) = 1 200 · (320 − 280) / 1 200
    expect(c.rows).toEqual([{ excessErrors: expect.closeTo(120, 9), share: 1, beyondNetRise: true }]);
    expect(c.rows[0].excessErrors).toBeCloseTo(a?.excessErrors ?? Number.NaN, 9);
  });

  it.each<[string, SegmentRowFigures[], { netRise: number | null; rows: unknown[] }]>([
    [
      'rows under the net rise keep their share; a nested segment is not summed with its parent',
      [
        { n: 100, rateNow: 0.4, rateBaseline: 0.1, shareExplained: 1.5 }, // 30 of a net rise of 20
        { n: 40, rateNow: 0.5, rateBaseline: 0.1, shareExplained: 0.8 }, // inside it: 16
      ],
      {
        netRise: 20,
        rows: [
          { excessErrors: 30, share: 1, beyondNetRise: true },
          { excessErrors: 16, share: 0.8, beyondNetRise: false },
        ],
      },
    ],
    [
      'a segment absent from the baseline (rate null): its excess from the net rise',
      [
        { n: 100, rateNow: 0.3, rateBaseline: 0.1, shareExplained: 0.5 }, // 20 of 40
        { n: 10, rateNow: 0.5, rateBaseline: null, shareExplained: 0.125 },
      ],
      {
        netRise: 40,
        rows: [
          { excessErrors: 20, share: 0.5, beyondNetRise: false },
          { excessErrors: 5, share: 0.125, beyondNetRise: false },
        ],
      },
    ],
    [
      'the overall rate did not rise: no share, the excess still counted',
      [{ n: 50, rateNow: 0.3, rateBaseline: 0.2, shareExplained: null }],
      { netRise: null, rows: [{ excessErrors: expect.closeTo(5, 9), share: null, beyondNetRise: false }] },
    ],
    ['no rows', [], { netRise: null, rows: [] }],
  ])('%s', (_name, rows, expected) => {
    const got = segmentContributions(rows);
    expect(got.netRise === null ? null : Number(got.netRise.toFixed(9))).toEqual(expected.netRise);
    expect(
      got.rows.map((r) => ({
        ...r,
        excessErrors: r.excessErrors === null ? null : Number(r.excessErrors.toFixed(9)),
      })),
    ).toEqual(expected.rows);
  });

  it('formats an excess as a signed, rounded count', () => {
    expect([119.6, -3.2, 0, 12_345.4, null, Number.NaN].map(formatExcessErrors)).toEqual([
      '+120',
      '−3',
      '+0',
      '+12,345',
      '—',
      '—',
    ]);
  });
});

describe('renderRcaHtml segment table', () => {
  it('shows the excess errors and no share above 100 %, with the note when capped', () => {
    const a = aRisesBFalls().slices.find((s) => s.confirmed && s.conditions[0].value === 'A');
    const report = {
      trigger: { metric: 'error_rate' },
      window: { fromMs: 0, toMs: 86_400_000, n: 1200, errorRate: 320 / 1200 },
      baseline: { errorRate: 280 / 1200 },
      hypotheses: [],
      caveats: [],
      charts: {
        shap: null,
        segments: [
          { ...figuresOf(a as NonNullable<typeof a>), segment: 'cat=A', low: 0.35, high: 0.45, pValue: 0 },
        ],
        shares: [],
        series: { timeMs: [], value: [] },
        changeMs: null,
      },
    } as unknown as StoredRcaReport; // the fields the page reads
    const html = renderRcaHtml(report);
    const table = html.slice(html.indexOf('<h2>Segments</h2>'), html.indexOf('<h2>Tags and versions</h2>'));
    expect(table).toContain('<th>excess errors</th><th>share of net rise</th>');
    expect(table).toContain('<td class="num">+120</td><td class="num">100.0%<sup>*</sup></td>');
    expect(table).toContain('net rise of 40 errors: the error rate fell in other rows');
    const shares = [...table.matchAll(/(\d+(?:\.\d+)?)%/g)].map((m) => Number(m[1]));
    expect(Math.max(...shares)).toBeLessThanOrEqual(100);
  });
});

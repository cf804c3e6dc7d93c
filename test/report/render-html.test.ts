import { describe, expect, it } from 'vitest';
import { categoricalDistribution, numericDistribution } from '../../src/report/distributions.js';
import { escapeHtml, renderHtml } from '../../src/report/render-html.js';
import type { FeatureReport, Report, ReportDetails } from '../../src/report/types.js';

describe('escapeHtml', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });
  it('leaves other text alone and stringifies non-strings', () => {
    expect(escapeHtml('naïve → ok')).toBe('naïve → ok');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('numericDistribution', () => {
  it('puts both samples on shared bins and folds outliers into the end bins', () => {
    const ref = Float64Array.from({ length: 1000 }, (_, i) => i / 1000);
    const cur = Float64Array.from({ length: 1000 }, (_, i) => (i === 0 ? 1e9 : i / 2000));
    const d = numericDistribution(ref, cur, { bins: 10 });
    expect(d.edges).toHaveLength(11);
    expect(d.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(d.current.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(d.current[9]).toBeGreaterThan(0); // the outlier lands in the last bin
    expect(d.current.slice(0, 5).reduce((a, b) => a + b, 0)).toBeGreaterThan(0.99);
  });
});

describe('numericDistribution on small-range integers', () => {
  it('gives one bin per value, centred on it', () => {
    const ref = Float64Array.from({ length: 700 }, (_, i) => i % 7);
    const cur = Float64Array.from({ length: 70 }, (_, i) => (i < 20 ? 6 : i % 6));
    const d = numericDistribution(ref, cur);
    expect(d.edges).toEqual([-0.5, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5]);
    expect(d.reference.every((s) => Math.abs(s - 1 / 7) < 1e-12)).toBe(true);
    expect(d.current[6]).toBeCloseTo(20 / 70, 12);
  });
});

describe('categoricalDistribution', () => {
  it('keeps the top categories and folds the rest', () => {
    const ref = ['a', 'a', 'b', 'c', 'd', null];
    const cur = ['a', 'e', 'e', 'e'];
    const d = categoricalDistribution(ref, cur, { topCategories: 2 });
    expect(d.categories).toEqual(['e', 'a', '(3 other)']);
    expect(d.reference[1]).toBeCloseTo(0.4, 12);
    expect(d.current[0]).toBeCloseTo(0.75, 12);
  });
});

describe('renderHtml', () => {
  const evil = '<script>alert("x")</script>';
  const feature = (name: string, drifted: boolean): FeatureReport => ({
    name,
    type: 'categorical',
    status: 'ok',
    tests: {
      chiSquare: { statistic: 12, pValue: 0.001 },
      psi: { value: 0.3 },
      jensenShannon: { value: 0.2 },
    },
    drifted,
    reason: `reason for ${name}`,
    missing: { reference: 0, current: 0.1 },
  });
  const report: Report = {
    summary: { verdict: 'drift', driftedFeatures: 1, nFeatures: 2, rows: { reference: 10, current: 10 } },
    features: [feature(evil, true), feature('plain', false)],
    quality: {
      issues: [
        {
          column: evil,
          check: 'new_category',
          severity: 'warning',
          value: 0.5,
          expected: 0,
          message: `${evil}: new category "<img src=http://evil.example/x.png>"`,
        },
      ],
    },
  };
  const details: ReportDetails = {
    distributions: new Map([
      [evil, categoricalDistribution(['<b>', 'x'], ['<b>', '<img src=https://cdn.example/>'])],
    ]),
    sources: { reference: 'ref&.csv', current: 'cur.csv' },
  };
  const html = renderHtml(report, details, { generatedAt: '2026-01-01T00:00:00Z' });

  it('escapes every name, category and message from the data', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('ref&amp;.csv');
  });

  it('makes no external request (no http(s) URL in src/href, no CDN)', () => {
    // only real tags can load anything; text from the data is escaped, so `<` never starts one
    expect(html).not.toMatch(/<[^>]*\b(src|href|xlink:href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it('puts the verdict first and lists drifted features before stable ones', () => {
    expect(html.indexOf('Drift in 1 of 2 features')).toBeGreaterThan(0);
    expect(html.indexOf('Drift in 1 of 2 features')).toBeLessThan(html.indexOf('id="contents"'));
    const tocEvil = html.indexOf('&lt;script&gt;alert', html.indexOf('nav class="toc"'));
    const tocPlain = html.indexOf('plain', html.indexOf('nav class="toc"'));
    expect(tocEvil).toBeLessThan(tocPlain);
  });
});

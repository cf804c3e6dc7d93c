import { describe, expect, it } from 'vitest';
import { renderRcaHtml, shapShiftSvg } from '../../src/rca/render-html.js';
import { renderRcaText } from '../../src/rca/render-text.js';
import { explains, runRca } from '../../src/rca/run-rca.js';
import { createRng } from '../../src/stats/random.js';
import { CARRIERS, ORIGINS, scoreWindow, syntheticModel, syntheticWindow, type Window } from './synthetic.js';

const N = 6000;
const DAY = 86_400_000;

/** Baseline (day 0) and current (day 1) windows; `plant` edits the current one before it is scored, `after` after. */
function scenario(
  plant: (w: Window, rng: ReturnType<typeof createRng>) => void,
  after?: (w: Window) => void,
) {
  const baseline = scoreWindow(syntheticWindow(101, N, 0));
  const current = syntheticWindow(102, N, DAY);
  plant(current, createRng(7));
  scoreWindow(current);
  after?.(current);
  return { baseline, current };
}

function rca(w: { baseline: Window; current: Window }, metric = 'error_rate') {
  return runRca({
    model: syntheticModel(),
    current: w.current,
    baseline: w.baseline,
    trigger: { metric },
    options: { seed: 1, maxShapRows: 800, resamples: 100 },
  });
}

describe('runRca names the planted cause', () => {
  it('distance ×1.609 on the 30 % of rows tagged pipeline=v2 → pipeline v2, evidence naming distance', () => {
    const w = scenario((c, rng) => {
      for (let r = 0; r < N; r++)
        if (rng.next() < 0.3) {
          c.tags.pipeline[r] = 'v2';
          c.columns.distance[r] *= 1.609;
        }
    });
    const out = rca(w);
    const top = out.hypotheses[0];
    const text = JSON.stringify(top);
    const namesPipeline = top.subject.tag?.pipeline === 'v2' || text.includes('pipeline=v2');
    const namesDistance = top.subject.feature === 'distance' || text.includes('distance');
    expect(namesPipeline && namesDistance).toBe(true);
    expect(['pipeline', 'feature']).toContain(top.kind);
    expect(top.action).toMatch(/pipeline|upstream/);
    expect(renderRcaText(out)).toContain('pipeline');
    const html = renderRcaHtml(out);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('pipeline=v2');
    expect(html.match(/<rect class="bar-/g)?.length).toBe(5); // one SHAP bar per feature
    expect(html).not.toMatch(/<script|https?:/);
  });

  it('distance nulled on 15 % of rows → data-quality on distance', () => {
    const w = scenario((c, rng) => {
      for (let r = 0; r < N; r++) if (rng.next() < 0.15) c.columns.distance[r] = Number.NaN;
    });
    const top = rca(w).hypotheses[0];
    expect(top.kind).toBe('data-quality');
    expect(top.subject.feature).toBe('distance');
  });

  it('labels flipped on origin=ORD → label shift in segment origin=ORD', () => {
    const ord = ORIGINS.indexOf('ORD');
    const w = scenario(
      () => {},
      (c) => {
        for (let r = 0; r < N; r++) if (c.columns.origin[r] === ord) c.labels[r] = 1 - c.labels[r];
      },
    );
    const out = rca(w);
    const top = out.hypotheses[0];
    expect(top.kind).toBe('label-shift');
    expect(top.subject.segment).toEqual({ origin: 'ORD' });
    // refinements of origin=ORD are folded into it as evidence, not listed as rivals
    expect(out.hypotheses.slice(1).filter((h) => h.subject.segment?.origin === 'ORD')).toEqual([]);
  });

  it('a latency regression of version 2.0 → version 2.0', () => {
    const w = scenario((c, rng) => {
      for (let r = N / 2; r < N; r++) {
        c.versions[r] = '2.0';
        c.latencyMs[r] += 15 + 5 * Math.abs(rng.normal());
      }
    });
    const out = rca(w, 'latency_p95');
    const top = out.hypotheses[0];
    expect(['version', 'infra']).toContain(top.kind);
    expect(top.subject.version ?? top.subject.tag?.version).toBe('2.0');
    expect(top.action).toMatch(/Roll back version 2.0/);
  });

  it('proposes nothing strong when nothing changed', () => {
    const out = rca(scenario(() => {}));
    expect(out.hypotheses.filter((h) => h.score > 0.3)).toEqual([]);
    expect(out.caveats.length).toBeGreaterThanOrEqual(4);
  });
});

describe('renderRcaHtml helpers', () => {
  it('escapes feature names in the SHAP bars', () => {
    const svg = shapShiftSvg([{ feature: '<b>&x', shift: -1, low: -2, high: 0 }]);
    expect(svg).toContain('&lt;b&gt;&amp;x');
    expect(svg).toContain('class="bar-neg"');
  });
});

describe('runRca names causes on other features, segments and tags', () => {
  const cases = [
    {
      name: 'taxi_out ×2.5 on pipeline=v2',
      metric: 'error_rate',
      plant: (c: Window, rng: ReturnType<typeof createRng>) => {
        for (let r = 0; r < N; r++)
          if (rng.next() < 0.3) {
            c.tags.pipeline[r] = 'v2';
            c.columns.taxi_out[r] *= 2.5;
          }
      },
      expected: { kind: 'pipeline', subject: { tag: { pipeline: 'v2' } } },
    },
    {
      name: 'labels flipped on carrier=DL',
      metric: 'error_rate',
      after: (c: Window) => {
        for (let r = 0; r < N; r++)
          if (c.columns.carrier[r] === CARRIERS.indexOf('DL')) c.labels[r] = 1 - c.labels[r];
      },
      expected: { kind: 'label-shift', subject: { segment: { carrier: 'DL' } } },
    },
    {
      name: 'a quarter of the negatives turn positive everywhere',
      metric: 'error_rate',
      after: (c: Window) => {
        const rng = createRng(3);
        for (let r = 0; r < N; r++) if (c.labels[r] === 0 && rng.next() < 0.25) c.labels[r] = 1;
      },
      expected: { kind: 'population', subject: {} },
    },
    {
      name: 'latency +30 ms on host-1',
      metric: 'latency',
      plant: (c: Window) => {
        for (let r = 0; r < N; r++) if (c.tags.host[r] === 'host-1') c.latencyMs[r] += 30;
      },
      expected: { kind: 'infra', subject: { tag: { host: 'host-1' } } },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const out = rca(scenario(tc.plant ?? (() => {}), tc.after), tc.metric);
      expect({ kind: out.hypotheses[0].kind, subject: out.hypotheses[0].subject }).toEqual(tc.expected);
    });
  }
});

describe('explains (the share of the rise in evidence texts)', () => {
  it('says a segment carries more than the net rise past 100 %, instead of clamping it to 100 %', () => {
    expect(explains(0.42)).toBe('it explains 42.0% of the rise');
    expect(explains(1)).toBe('it explains 100.0% of the rise');
    expect(explains(1.61)).toBe('it carries more than the net rise (errors fell elsewhere)');
    expect(explains(-0.2)).toBe('it explains 0.0% of the rise');
    expect(explains(null)).toBe('it explains 0.0% of the rise');
  });
});

/**
 * Small inline-SVG charts for the HTML report: overlaid histograms, paired
 * category bars, dot-and-whisker intervals and a reliability curve. Colours
 * come from CSS variables (Okabe–Ito palette, light and dark), so the SVG
 * follows the page theme. Every text from the data goes through `escapeHtml`.
 */
import type { CategoricalDistribution, NumericDistribution } from './distributions.js';
import type { MetricValue, ReliabilityPoint } from './types.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values (& < > " '). */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

/** Formats a number compactly for axes and tables ('—' for null/NaN). */
export function formatNumber(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e6 || a < 10 ** -digits)) return x.toExponential(Math.max(1, digits - 1));
  if (Number.isInteger(x)) return String(x);
  return Number(x.toPrecision(digits)).toString();
}

/** Formats a share as a percentage. */
export function formatPercent(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return `${(100 * x).toFixed(digits)}%`;
}

/** Round, readable tick values spanning [lo, hi]. */
function ticks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    out.push(Number(t.toPrecision(12)));
  return out;
}

const legend = (x: number, y: number) =>
  `<g class="legend" transform="translate(${x},${y})"><rect width="12" height="12" class="ref-fill"/><text x="17" y="10">reference</text><rect x="95" width="12" height="12" class="cur-fill"/><text x="112" y="10">current</text></g>`;

/** Reference bars with the current distribution as a step line on shared bins. */
export function histogramSvg(d: NumericDistribution, label: string): string {
  const W = 520;
  const H = 200;
  const m = { l: 44, r: 24, t: 24, b: 30 };
  const iw = W - m.l - m.r;
  const ih = H - m.t - m.b;
  const lo = d.edges[0];
  const hi = d.edges[d.edges.length - 1];
  const ymax = Math.max(...d.reference, ...d.current, 1e-12) * 1.08;
  const x = (v: number) => m.l + ((v - lo) / (hi - lo)) * iw;
  const y = (v: number) => m.t + ih - (v / ymax) * ih;
  const bars = d.reference
    .map((s, i) => {
      const x0 = x(d.edges[i]);
      const w = Math.max(0, x(d.edges[i + 1]) - x0 - 1);
      return `<rect class="ref-fill" x="${x0.toFixed(1)}" y="${y(s).toFixed(1)}" width="${w.toFixed(1)}" height="${(m.t + ih - y(s)).toFixed(1)}"><title>${escapeHtml(`[${formatNumber(d.edges[i])}, ${formatNumber(d.edges[i + 1])}): reference ${formatPercent(s)}, current ${formatPercent(d.current[i])}`)}</title></rect>`;
    })
    .join('');
  let path = `M${x(lo).toFixed(1)},${y(0).toFixed(1)}`;
  d.current.forEach((s, i) => {
    path += `V${y(s).toFixed(1)}H${x(d.edges[i + 1]).toFixed(1)}`;
  });
  path += `V${y(0).toFixed(1)}`;
  const xt = ticks(lo, hi, 6)
    .map(
      (t) =>
        `<g transform="translate(${x(t).toFixed(1)},${m.t + ih})"><line y2="4" class="axis"/><text y="16" text-anchor="middle">${escapeHtml(formatNumber(t))}</text></g>`,
    )
    .join('');
  const yt = ticks(0, ymax, 4)
    .map(
      (t) =>
        `<g transform="translate(${m.l},${y(t).toFixed(1)})"><line x2="${iw}" class="grid"/><text x="-6" dy="0.32em" text-anchor="end">${escapeHtml(formatPercent(t, 0))}</text></g>`,
    )
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(`distribution of ${label}, reference vs current`)}">${yt}${bars}<path d="${path}" class="cur-line"/><line x1="${m.l}" x2="${m.l + iw}" y1="${m.t + ih}" y2="${m.t + ih}" class="axis"/>${xt}${legend(m.l, 4)}</svg>`;
}

/** Paired horizontal bars (reference above current) for the top categories. */
export function categoryBarsSvg(d: CategoricalDistribution, label: string): string {
  const W = 520;
  const row = 26;
  const m = { l: 140, r: 112, t: 24, b: 8 };
  const H = m.t + m.b + row * d.categories.length;
  const iw = W - m.l - m.r;
  const vmax = Math.max(...d.reference, ...d.current, 1e-12);
  const rows = d.categories
    .map((cat, i) => {
      const y0 = m.t + i * row;
      const short = cat.length > 22 ? `${cat.slice(0, 21)}…` : cat;
      const rw = (d.reference[i] / vmax) * iw;
      const cw = (d.current[i] / vmax) * iw;
      return `<g><title>${escapeHtml(`${cat}: reference ${formatPercent(d.reference[i])}, current ${formatPercent(d.current[i])}`)}</title><text x="${m.l - 8}" y="${y0 + 15}" text-anchor="end">${escapeHtml(short)}</text><rect class="ref-fill" x="${m.l}" y="${y0 + 3}" width="${rw.toFixed(1)}" height="9"/><rect class="cur-fill" x="${m.l}" y="${y0 + 13}" width="${cw.toFixed(1)}" height="9"/><text class="small" x="${W - m.r + 8}" y="${y0 + 16}">${escapeHtml(`${formatPercent(d.reference[i])} → ${formatPercent(d.current[i])}`)}</text></g>`;
    })
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(`categories of ${label}, reference vs current`)}">${rows}${legend(m.l, 4)}</svg>`;
}

/** One row per metric: reference and current point estimates with their intervals. */
export function intervalsSvg(
  rows: { name: string; reference?: MetricValue; current?: MetricValue }[],
): string {
  const W = 560;
  const row = 34;
  const m = { l: 130, r: 20, t: 26, b: 28 };
  const H = m.t + m.b + row * rows.length;
  const iw = W - m.l - m.r;
  const vals = rows.flatMap((r) =>
    [r.reference, r.current].flatMap((v) =>
      v && v.value !== null ? [v.value, v.ci?.low ?? v.value, v.ci?.high ?? v.value] : [],
    ),
  );
  const finite = vals.filter(Number.isFinite);
  if (finite.length === 0) finite.push(0, 1);
  let lo = Math.max(0, Math.min(...finite) - 0.05);
  let hi = Math.min(1, Math.max(...finite) + 0.05);
  if (!(hi > lo)) {
    lo = 0;
    hi = 1;
  }
  const x = (v: number) => m.l + ((v - lo) / (hi - lo)) * iw;
  const mark = (v: MetricValue | undefined, yy: number, cls: string, who: string, name: string) => {
    if (!v || v.value === null || !Number.isFinite(v.value)) return '';
    const ci = v.ci && Number.isFinite(v.ci.low) ? v.ci : undefined;
    const whisker = ci
      ? `<line class="${cls}-line" x1="${x(ci.low).toFixed(1)}" x2="${x(ci.high).toFixed(1)}" y1="${yy}" y2="${yy}"/>`
      : '';
    const tip = `${name} (${who}): ${formatNumber(v.value)}${ci ? ` [${formatNumber(ci.low)}, ${formatNumber(ci.high)}]` : ''}`;
    return `<g><title>${escapeHtml(tip)}</title>${whisker}<circle class="${cls}-fill" cx="${x(v.value).toFixed(1)}" cy="${yy}" r="4.5"/></g>`;
  };
  const body = rows
    .map((r, i) => {
      const y0 = m.t + i * row;
      return `<text x="${m.l - 10}" y="${y0 + 18}" text-anchor="end">${escapeHtml(r.name)}</text><line class="grid" x1="${m.l}" x2="${m.l + iw}" y1="${y0 + row}" y2="${y0 + row}"/>${mark(r.reference, y0 + 11, 'ref', 'reference', r.name)}${mark(r.current, y0 + 23, 'cur', 'current', r.name)}`;
    })
    .join('');
  const xt = ticks(lo, hi, 6)
    .map(
      (t) =>
        `<g transform="translate(${x(t).toFixed(1)},${H - m.b})"><line y2="4" class="axis"/><text y="16" text-anchor="middle">${escapeHtml(formatNumber(t))}</text></g>`,
    )
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="performance with 95% confidence intervals, reference vs current">${body}<line class="axis" x1="${m.l}" x2="${m.l + iw}" y1="${H - m.b}" y2="${H - m.b}"/>${xt}${legend(m.l, 4)}</svg>`;
}

/** Reliability curves (observed frequency vs mean predicted probability) against the diagonal. */
export function reliabilitySvg(curves: {
  reference: ReliabilityPoint[];
  current: ReliabilityPoint[];
}): string {
  const S = 280;
  const m = { l: 44, r: 12, t: 24, b: 36 };
  const iw = S - m.l - m.r;
  const ih = S - m.t - m.b;
  const x = (v: number) => m.l + v * iw;
  const y = (v: number) => m.t + ih - v * ih;
  const line = (pts: ReliabilityPoint[], cls: string, who: string) => {
    const ok = pts.filter((p) => p.count > 0 && Number.isFinite(p.predicted) && Number.isFinite(p.observed));
    if (ok.length === 0) return '';
    const d = ok
      .map((p, i) => `${i ? 'L' : 'M'}${x(p.predicted).toFixed(1)},${y(p.observed).toFixed(1)}`)
      .join('');
    const dots = ok
      .map(
        (p) =>
          `<circle class="${cls}-fill" cx="${x(p.predicted).toFixed(1)}" cy="${y(p.observed).toFixed(1)}" r="3"><title>${escapeHtml(`${who}: predicted ${formatNumber(p.predicted)}, observed ${formatNumber(p.observed)}, n = ${p.count}`)}</title></circle>`,
      )
      .join('');
    return `<path class="${cls}-line" d="${d}"/>${dots}`;
  };
  const t = [0, 0.25, 0.5, 0.75, 1];
  const grid = t
    .map(
      (v) =>
        `<line class="grid" x1="${m.l}" x2="${m.l + iw}" y1="${y(v)}" y2="${y(v)}"/><text x="${m.l - 6}" y="${y(v)}" dy="0.32em" text-anchor="end">${v}</text><text x="${x(v)}" y="${m.t + ih + 16}" text-anchor="middle">${v}</text>`,
    )
    .join('');
  return `<svg class="square" viewBox="0 0 ${S} ${S}" role="img" aria-label="reliability curve, reference vs current">${grid}<line class="diag" x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}"/>${line(curves.reference, 'ref', 'reference')}${line(curves.current, 'cur', 'current')}<text class="small" x="${m.l + iw / 2}" y="${S - 4}" text-anchor="middle">mean predicted probability</text>${legend(m.l, 4)}</svg>`;
}

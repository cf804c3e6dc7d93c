/**
 * Self-contained HTML page of an RCA result: ranked hypotheses with evidence and actions, the metric
 * over time with its change point, the SHAP shift bars (Δ mean SHAP per feature with bootstrap
 * intervals), the segment table and the traffic shares of tags and versions. No script, no external
 * resource; every text from the data goes through `escapeHtml`.
 */
import { basePageCss } from '../report/page-style.js';
import { escapeHtml, formatNumber, formatPercent } from '../report/svg.js';
import { type StoredRcaReport, storedReportOf } from './charts.js';
import type { RcaReport } from './hypotheses.js';
import type { RcaResult } from './run-rca.js';
import { beyondNetRiseNote, formatExcessErrors, segmentContributions } from './segment-contribution.js';

const CSS = `${basePageCss}
main{max-width:980px}.kind{font-weight:600;text-transform:uppercase;font-size:.8em}
svg{max-width:680px}svg text{fill:var(--fg)}.bar-pos{fill:var(--cur)}.bar-neg{fill:var(--ref)}.whisker{stroke:var(--fg)}
.series{fill:none;stroke:var(--ref);stroke-width:1.5}.change{stroke:var(--bad);stroke-dasharray:4 3}`;

/** Δ mean SHAP per feature as horizontal bars with interval whiskers. */
export function shapShiftSvg(rows: { feature: string; shift: number; low: number; high: number }[]): string {
  const W = 560;
  const row = 22;
  const m = { l: 130, r: 20, t: 8, b: 8 };
  const H = m.t + m.b + row * rows.length;
  const extent = Math.max(
    1e-12,
    ...rows.flatMap((r) => [Math.abs(r.low), Math.abs(r.high), Math.abs(r.shift)]),
  );
  const iw = W - m.l - m.r;
  const x = (v: number) => m.l + iw / 2 + (v / extent) * (iw / 2);
  const body = rows
    .map((r, i) => {
      const y = m.t + i * row;
      const x0 = Math.min(x(0), x(r.shift));
      const w = Math.abs(x(r.shift) - x(0));
      const tip = `${r.feature}: Δ mean SHAP ${formatNumber(r.shift)} [${formatNumber(r.low)}, ${formatNumber(r.high)}]`;
      return `<g><title>${escapeHtml(tip)}</title><text x="${m.l - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(r.feature)}</text><rect class="${r.shift >= 0 ? 'bar-pos' : 'bar-neg'}" x="${x0.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${row - 8}"/><line class="whisker" x1="${x(r.low).toFixed(1)}" x2="${x(r.high).toFixed(1)}" y1="${y + row / 2}" y2="${y + row / 2}"/></g>`;
    })
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="change in mean SHAP per feature">${body}<line class="axis" x1="${x(0)}" x2="${x(0)}" y1="${m.t}" y2="${H - m.b}"/></svg>`;
}

/** The metric series over time with a dashed line at the change point. */
export function metricSeriesSvg(
  series: { timeMs: number[]; value: number[] },
  changeMs: number | null,
): string {
  const W = 560;
  const H = 160;
  const m = { l: 44, r: 12, t: 10, b: 24 };
  const n = series.timeMs.length;
  if (n === 0) return '';
  const t0 = series.timeMs[0];
  const t1 = Math.max(t0 + 1, series.timeMs[n - 1]);
  const finite = series.value.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(lo + 1e-12, ...finite);
  const x = (t: number) => m.l + ((t - t0) / (t1 - t0)) * (W - m.l - m.r);
  const y = (v: number) => H - m.b - ((v - lo) / (hi - lo)) * (H - m.t - m.b);
  const points = series.timeMs.map((t, i) => `${x(t).toFixed(1)},${y(series.value[i]).toFixed(1)}`).join(' ');
  const change =
    changeMs === null
      ? ''
      : `<line class="change" x1="${x(changeMs).toFixed(1)}" x2="${x(changeMs).toFixed(1)}" y1="${m.t}" y2="${H - m.b}"><title>${escapeHtml(`change at ${new Date(changeMs).toISOString()}`)}</title></line>`;
  const axis = `<text x="${m.l - 6}" y="${m.t + 8}" text-anchor="end">${escapeHtml(formatNumber(hi))}</text><text x="${m.l - 6}" y="${H - m.b}" text-anchor="end">${escapeHtml(formatNumber(lo))}</text>`;
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="metric over time"><line class="axis" x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}"/>${axis}<polyline class="series" points="${points}"/>${change}</svg>`;
}

/** Renders a result, or a stored report with its chart data, as one HTML document. */
export function renderRcaHtml(input: RcaResult | StoredRcaReport): string {
  const result = 'analyses' in input ? storedReportOf(input) : input;
  const c = result.charts;
  const subject = (s: RcaReport['hypotheses'][number]['subject']) =>
    s.feature ??
    s.version ??
    Object.entries(s.tag ?? s.segment ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(' & ');
  const hypotheses = result.hypotheses
    .map((h, i) =>
      `<li><span class="kind">${escapeHtml(h.kind)}</span> <strong>${escapeHtml(subject(h.subject))}</strong> <span class="muted">score ${escapeHtml(h.score.toFixed(2))}</span><ul>${h.evidence.map((e) => `<li>${escapeHtml(e.text)}</li>`).join('')}</ul><p>→ ${escapeHtml(h.action)}</p></li>`.replace(
        '<li>',
        `<li value="${i + 1}">`,
      ),
    )
    .join('');
  const shap = c.shap ? shapShiftSvg(c.shap) : '<p class="muted">Too few rows for a SHAP comparison.</p>';
  const contrib = segmentContributions(c.segments);
  const slices = c.segments
    .map((s, i) => {
      const x = contrib.rows[i];
      const share = `${formatPercent(x.share)}${x.beyondNetRise ? '<sup>*</sup>' : ''}`;
      return `<tr><td>${escapeHtml(s.segment)}</td><td class="num">${s.n}</td><td class="num">${formatPercent(s.rateNow)} [${formatPercent(s.low)}, ${formatPercent(s.high)}]</td><td class="num">${formatPercent(s.rateBaseline)}</td><td class="num">${formatExcessErrors(x.excessErrors)}</td><td class="num">${share}</td><td class="num">${escapeHtml(formatNumber(s.pValue))}</td></tr>`;
    })
    .join('');
  const sliceNote = contrib.rows.some((x) => x.beyondNetRise)
    ? `<p class="muted">* ${escapeHtml(beyondNetRiseNote(contrib.netRise))}</p>`
    : '';
  const shares = c.shares
    .map(
      (s) =>
        `<tr><td>${escapeHtml(`${s.key}=${s.value}`)}</td><td class="num">${formatPercent(s.shareBaseline)}</td><td class="num">${formatPercent(s.shareNow)}</td><td class="num">${escapeHtml(formatNumber(s.inside))}</td><td class="num">${escapeHtml(formatNumber(s.outside))}</td><td>${s.aligned ? 'aligned' : ''}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(`RCA: ${result.trigger.metric}`)}</title><meta name="viewport" content="width=device-width,initial-scale=1"><style>${CSS}</style></head><body><main>
<h1>Root-cause analysis of ${escapeHtml(result.trigger.metric)}</h1>
<p class="muted">Window ${escapeHtml(new Date(result.window.fromMs).toISOString())} → ${escapeHtml(new Date(result.window.toMs).toISOString())}: ${result.window.n} events, error rate ${formatPercent(result.window.errorRate)} (baseline ${formatPercent(result.baseline.errorRate)}).</p>
<h2>Hypotheses</h2><ol>${hypotheses || '<li>No hypothesis explains the change.</li>'}</ol>
<h2>Metric over time</h2>${metricSeriesSvg(c.series, c.changeMs)}
<h2>SHAP shift (Δ mean SHAP, current − baseline)</h2>${shap}
<h2>Segments</h2><table><thead><tr><th>segment</th><th>n</th><th>error now [95% CI]</th><th>baseline</th><th>excess errors</th><th>share of net rise</th><th>BH p</th></tr></thead><tbody>${slices || '<tr><td colspan="7" class="muted">No confirmed segment.</td></tr>'}</tbody></table>${sliceNote}
<h2>Tags and versions</h2><table><thead><tr><th>value</th><th>share before</th><th>share now</th><th>metric inside</th><th>outside</th><th>change point</th></tr></thead><tbody>${shares}</tbody></table>
<h2>Caveats</h2><ul>${result.caveats.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>
</main></body></html>
`;
}

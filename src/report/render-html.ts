/**
 * Renders a report as ONE self-contained HTML page: inline CSS, inline SVG,
 * no script, no external request. Summary first (verdict, worst features,
 * quality, performance change), then performance, quality, and one section
 * per column with its distributions, test table and issues.
 */
import type { QualityIssue } from '../drift/quality.js';
import { basePageCss } from './page-style.js';
import {
  categoryBarsSvg,
  escapeHtml,
  formatNumber,
  formatPercent,
  histogramSvg,
  intervalsSvg,
  reliabilitySvg,
} from './svg.js';

import type { FeatureReport, MetricValue, PerformanceSide, Report, ReportDetails } from './types.js';

export { escapeHtml } from './svg.js';

/** Options of `renderHtml`. */
export interface RenderOptions {
  /** Page title. Default 'Plumbline drift report'. */
  title?: string;
  /** When the report was made (ISO string), shown in the header; the caller passes the clock. */
  generatedAt?: string;
}

const defaults = { title: 'Plumbline drift report' };

const CSS = `${basePageCss}
.verdict{display:flex;gap:18px;align-items:center}.verdict.drift{border-left-color:var(--bad)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:14px}.card{background:var(--card);border-radius:10px;padding:14px 16px}.card h4{margin:0 0 6px;font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.badge{white-space:normal}.b-drift,.b-error{color:var(--bad)}.b-ok{color:var(--ok)}.b-warning{color:var(--warn)}.b-info,.b-insufficient{color:var(--muted)}
table.tests td{white-space:nowrap}.hit{color:var(--bad);font-weight:600}.pass{color:var(--ok);font-weight:600}
nav.toc{columns:3 220px;background:var(--card);border-radius:10px;padding:12px 16px}nav.toc a{display:block;color:inherit;text-decoration:none;padding:1px 0;break-inside:avoid}nav.toc a:hover{text-decoration:underline}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:7px;background:var(--ok)}.dot.drift{background:var(--bad)}.dot.insufficient{background:var(--muted)}
section.feature{background:var(--card);border-radius:10px;padding:16px 18px;margin:14px 0}.feature header{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap;margin-bottom:8px}
.grid2{display:grid;grid-template-columns:minmax(0,1.25fr) minmax(0,1fr);gap:18px;align-items:start}@media (max-width:820px){.grid2{grid-template-columns:1fr}}
svg.square{max-width:300px}.ref-fill{fill-opacity:.55}
.reason{margin:8px 0 0}.issues{margin:8px 0 0;padding-left:18px}
`;

const slug = (name: string, i: number) => `f${i}-${name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40)}`;

function badge(f: FeatureReport): string {
  if (f.status === 'insufficient_data') return '<span class="badge b-insufficient">insufficient data</span>';
  return f.drifted ? '<span class="badge b-drift">drift</span>' : '<span class="badge b-ok">stable</span>';
}

function severityBadge(s: QualityIssue['severity']): string {
  return `<span class="badge b-${s}">${s}</span>`;
}

/** Effect size used to rank features: PSI. */
const effect = (f: FeatureReport) => (Number.isFinite(f.tests.psi.value) ? f.tests.psi.value : -1);

function testTable(f: FeatureReport, details: ReportDetails): string {
  const th = details.thresholds;
  const decided = details.decidedBy?.get(f.name);
  const rows: string[] = [];
  // only the tests that decide the verdict are marked; the others are context
  const mark = (key: string, hit: boolean | undefined, yes: string, no: string) => {
    if (hit === undefined) return '';
    const decides = decided?.significance === key || decided?.effect === key;
    if (!decides) return `<span class="muted">${hit ? yes : no}</span>`;
    return hit ? `<span class="hit">● ${yes}</span>` : `<span class="pass">○ ${no}</span>`;
  };
  const p = (x: number) => (x === 0 ? 'p &lt; 1e-300' : `p = ${formatNumber(x, 2)}`);
  const test = (key: string, name: string, stat: number, pValue: number) => {
    const hit = th && Number.isFinite(pValue) ? pValue < th.alpha : undefined;
    rows.push(
      `<tr><td>${name}</td><td class="num">${formatNumber(stat, 4)}</td><td class="num">${p(pValue)}</td><td>${mark(key, hit, `p &lt; ${th?.alpha}`, `p ≥ ${th?.alpha}`)}</td></tr>`,
    );
  };
  const effect = (key: string, name: string, value: number, floor: number | undefined, note = '') => {
    const hit = floor !== undefined && Number.isFinite(value) ? value >= floor : undefined;
    const role = decided?.significance === key ? 'effect, vs its null' : 'effect size';
    rows.push(
      `<tr><td>${name}${note}</td><td class="num">${formatNumber(value, 4)}</td><td class="muted small">${role}</td><td>${mark(key, hit, `≥ ${floor}`, `&lt; ${floor}`)}</td></tr>`,
    );
  };
  const t = f.tests;
  if (t.ks) test('ks', 'Kolmogorov–Smirnov D', t.ks.statistic, t.ks.pValue);
  if (t.chiSquare) test('chiSquare', 'chi-square', t.chiSquare.statistic, t.chiSquare.pValue);
  effect('psi', 'PSI', t.psi.value, th?.psi);
  if (t.wasserstein) {
    const raw = `<br><span class="muted small">raw ${escapeHtml(formatNumber(t.wasserstein.value))}</span>`;
    effect('wasserstein', 'Wasserstein ÷ std', t.wasserstein.normalized, th?.wasserstein, raw);
  }
  effect('jensenShannon', 'Jensen–Shannon', t.jensenShannon.value, th?.jensenShannon);
  return `<table class="tests"><thead><tr><th>test</th><th>value</th><th></th><th>threshold</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function featureSection(
  f: FeatureReport,
  id: string,
  details: ReportDetails,
  issues: QualityIssue[],
): string {
  const dist = details.distributions.get(f.name);
  const chart = !dist
    ? '<p class="muted">no distribution</p>'
    : dist.kind === 'numeric'
      ? histogramSvg(dist, f.name)
      : categoryBarsSvg(dist, f.name);
  const own = issues.filter((i) => i.column === f.name);
  const issueList = own.length
    ? `<ul class="issues">${own.map((i) => `<li>${severityBadge(i.severity)} ${escapeHtml(i.message)}</li>`).join('')}</ul>`
    : '';
  return `<section class="feature" id="${escapeHtml(id)}"><header><h3>${escapeHtml(f.name)}</h3><span class="muted small">${f.type}</span>${badge(f)}<span class="muted small">missing ${formatPercent(f.missing.reference)} → ${formatPercent(f.missing.current)}</span></header><div class="grid2"><div>${chart}</div><div>${testTable(f, details)}<p class="reason small">${escapeHtml(f.reason)}</p>${issueList}</div></div></section>`;
}

const METRICS: [keyof PerformanceSide, string][] = [
  ['accuracy', 'accuracy'],
  ['precision', 'precision'],
  ['recall', 'recall'],
  ['f1', 'F1'],
  ['rocAuc', 'ROC AUC'],
  ['averagePrecision', 'average precision'],
  ['brier', 'Brier score'],
  ['logLoss', 'log loss'],
];

const ci = (v: MetricValue | undefined) =>
  v?.ci ? `<span class="muted small"> [${formatNumber(v.ci.low)}, ${formatNumber(v.ci.high)}]</span>` : '';

function performanceSection(report: Report, details: ReportDetails): string {
  const p = report.performance;
  if (!p) return '';
  const present = METRICS.filter(([k]) => p.reference[k] !== undefined || p.current[k] !== undefined);
  const metric = (side: PerformanceSide, k: keyof PerformanceSide) => side[k] as MetricValue | undefined;
  const rows = present
    .map(
      ([k, name]) =>
        `<tr><td>${name}</td><td class="num">${formatNumber(metric(p.reference, k)?.value)}${ci(metric(p.reference, k))}</td><td class="num">${formatNumber(metric(p.current, k)?.value)}${ci(metric(p.current, k))}</td></tr>`,
    )
    .join('');
  const chartRows = present
    .filter(([k]) => k !== 'logLoss')
    .map(([k, name]) => ({ name, reference: metric(p.reference, k), current: metric(p.current, k) }));
  const reliability = details.reliability
    ? `<div><h3>Reliability</h3><p class="muted small">Observed positive rate against mean predicted probability; the dashed line is perfect calibration.</p>${reliabilitySvg(details.reliability)}</div>`
    : '';
  return `<h2 id="performance">Model performance</h2><p class="muted">Positive class <code>${escapeHtml(p.positive)}</code>, threshold ${formatNumber(p.threshold)}; ${p.reference.n.toLocaleString('en-US')} reference and ${p.current.n.toLocaleString('en-US')} current labelled rows. Intervals are 95 %.</p><div class="grid2"><div>${intervalsSvg(chartRows)}</div><div><table><thead><tr><th>metric</th><th>reference</th><th>current</th></tr></thead><tbody>${rows}</tbody></table></div></div>${reliability}`;
}

function qualitySection(issues: QualityIssue[]): string {
  if (issues.length === 0) return '<h2 id="quality">Data quality</h2><p>No data-quality issue found.</p>';
  const rows = issues
    .map(
      (i) =>
        `<tr><td>${severityBadge(i.severity)}</td><td>${escapeHtml(i.check.replaceAll('_', ' '))}</td><td>${i.column === undefined ? '<span class="muted">table</span>' : escapeHtml(i.column)}</td><td>${escapeHtml(i.message)}</td></tr>`,
    )
    .join('');
  return `<h2 id="quality">Data quality</h2><table><thead><tr><th>severity</th><th>check</th><th>column</th><th>finding</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function summaryCards(report: Report, ranked: FeatureReport[]): string {
  const worst = ranked.filter((f) => f.status === 'ok').slice(0, 5);
  const worstList = worst.length
    ? `<ol>${worst.map((f) => `<li>${escapeHtml(f.name)} ${f.drifted ? '<span class="badge b-drift">drift</span>' : ''} <span class="muted small">PSI ${formatNumber(f.tests.psi.value)}</span></li>`).join('')}</ol>`
    : '<p class="muted">none</p>';
  const issues = report.quality.issues;
  const count = (s: string) => issues.filter((i) => i.severity === s).length;
  const quality = `<p><strong>${count('error')}</strong> errors · <strong>${count('warning')}</strong> warnings · ${count('info')} notes</p>${issues
    .filter((i) => i.severity !== 'info')
    .slice(0, 3)
    .map((i) => `<p class="small">${severityBadge(i.severity)} ${escapeHtml(i.message)}</p>`)
    .join('')}`;
  const p = report.performance;
  const perf = p
    ? ['rocAuc', 'accuracy', 'f1']
        .filter((k) => p.reference[k as keyof PerformanceSide] !== undefined)
        .map((k) => {
          const r = p.reference[k as keyof PerformanceSide] as MetricValue;
          const c = p.current[k as keyof PerformanceSide] as MetricValue;
          const name = METRICS.find(([m]) => m === k)?.[1] ?? k;
          return `<p>${name}: ${formatNumber(r.value)} → <strong>${formatNumber(c?.value)}</strong>${ci(c)}</p>`;
        })
        .join('')
    : '<p class="muted">no label given (<code>--label</code>)</p>';
  const score = report.score
    ? `<p class="small">score distribution: ${report.score.drifted ? '<span class="badge b-drift">drift</span>' : '<span class="badge b-ok">stable</span>'} PSI ${formatNumber(report.score.tests.psi.value)}</p>`
    : '';
  return `<div class="cards"><div class="card"><h4>Largest shifts</h4>${worstList}</div><div class="card"><h4>Data quality</h4>${quality}</div><div class="card"><h4>Performance</h4>${perf}${score}</div></div>`;
}

/** Renders the whole report page (see the module comment). */
export function renderHtml(report: Report, details: ReportDetails, options: RenderOptions = {}): string {
  const { title } = { ...defaults, ...options };
  const s = report.summary;
  const ranked = [...report.features].sort(
    (a, b) => Number(b.drifted) - Number(a.drifted) || effect(b) - effect(a) || (a.name < b.name ? -1 : 1),
  );
  const ids = new Map(ranked.map((f, i) => [f.name, slug(f.name, i)]));
  const headline =
    s.verdict === 'drift'
      ? `Drift in ${s.driftedFeatures} of ${s.nFeatures} feature${s.nFeatures === 1 ? '' : 's'}${report.score?.drifted ? ' and in the score' : ''}`
      : `No material drift in ${s.nFeatures} feature${s.nFeatures === 1 ? '' : 's'}`;
  const src = details.sources
    ? `<code>${escapeHtml(details.sources.reference)}</code> (reference, ${s.rows.reference.toLocaleString('en-US')} rows) vs <code>${escapeHtml(details.sources.current)}</code> (current, ${s.rows.current.toLocaleString('en-US')} rows)`
    : `${s.rows.reference.toLocaleString('en-US')} reference rows vs ${s.rows.current.toLocaleString('en-US')} current rows`;
  const extra = [report.score, report.label].filter((f): f is FeatureReport => f !== undefined);
  const toc = ranked
    .map(
      (f) =>
        `<a href="#${escapeHtml(ids.get(f.name) ?? '')}"><span class="dot ${f.status === 'insufficient_data' ? 'insufficient' : f.drifted ? 'drift' : ''}"></span>${escapeHtml(f.name)}</a>`,
    )
    .join('');
  const th = details.thresholds;
  const rule = th
    ? `A feature drifts when the change is <em>significant</em> (p &lt; ${th.alpha} after Benjamini–Hochberg across features: the KS or chi-square test on small samples, the effect size against its null resampled from the reference on large ones) <em>and</em> <em>material</em> (PSI ≥ ${th.psi} for numeric features, Jensen–Shannon ≥ ${th.jensenShannon} for categorical ones). ● marks a deciding test over its threshold, ○ one under it; the other rows are context.`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${CSS}</style></head><body><main>
<h1>${escapeHtml(title)}</h1><p class="muted">${src}${options.generatedAt ? ` · ${escapeHtml(options.generatedAt)}` : ''}</p>
<div class="verdict ${s.verdict === 'drift' ? 'drift' : ''}"><div class="big">${escapeHtml(headline)}</div></div>
${summaryCards(report, ranked)}
<h2 id="contents">Contents</h2><nav class="toc">${report.performance ? '<a href="#performance">Model performance</a>' : ''}<a href="#quality">Data quality</a>${extra.length ? '<a href="#outputs">Score and label</a>' : ''}${toc}</nav>
${performanceSection(report, details)}
${qualitySection(report.quality.issues)}
${extra.length ? `<h2 id="outputs">Score and label</h2>${extra.map((f, i) => featureSection(f, `out${i}`, details, report.quality.issues)).join('')}` : ''}
<h2 id="features">Features</h2><p class="muted small">${rule}</p>
${ranked.map((f) => featureSection(f, ids.get(f.name) ?? '', details, report.quality.issues)).join('\n')}
<footer>Generated by Plumbline. Self-contained page: no scripts, no external requests.</footer>
</main></body></html>
`;
}

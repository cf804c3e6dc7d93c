/**
 * Renders a pipeline check as ONE self-contained HTML page (inline CSS and SVG, no script, no
 * external request): the verdict first (causes, summary, implicated features, actions), then the
 * checklist in investigation order with each finding's verdict and evidence, then the SHAP
 * importance before/after with bootstrap intervals and the retraining chance band. Reuses the
 * report's helpers (`escapeHtml`, `formatNumber`, `formatPercent`, `intervalsSvg`). Pure.
 */

import { basePageCss } from '../report/page-style.js';
import { escapeHtml, formatNumber, formatPercent, intervalsSvg } from '../report/svg.js';
import type { CheckName, Finding, PipelineCheckResult } from './types.js';

/** Options of {@link renderPipelineHtml}. */
export interface PipelineHtmlOptions {
  /** Page title. Default 'Plumbline pipeline check'. */
  title?: string;
  /** When the check ran (ISO string; the caller passes the clock). */
  generatedAt?: string;
  /** Names of the compared files, shown in the header. */
  sources?: { before: string; after: string };
}

const defaults = { title: 'Plumbline pipeline check' };

const CHECKS: [CheckName, string, string][] = [
  ['schema', 'Schema', 'added, removed, renamed columns; types; null rates'],
  ['paired', 'Paired differences', 'with a key: share of rows whose value changed'],
  [
    'transform',
    'Transformations',
    'unit or scale changes, offsets, log/exp, clipping, bucketing, re-encoded categories, null fills',
  ],
  ['population', 'Population vs pipeline', 'did the inputs move, or only the features?'],
  ['leakage', 'Leakage', 'features that predict the label too well, or come from after the prediction'],
  [
    'shap',
    'SHAP shift and training artifact',
    'importance before vs after, against what retraining alone moves',
  ],
];

const CSS = `${basePageCss}
main{max-width:1040px}h2{font-size:19px;margin:34px 0 10px}
.verdict{padding:18px 22px}.verdict.bad{border-left-color:var(--bad)}.verdict.warn{border-left-color:var(--warn)}.verdict .big{margin-bottom:6px}.verdict ul{margin:6px 0 0;padding-left:20px}
.badge{padding:1px 9px}.fail-error{color:var(--bad)}.fail-warning{color:var(--warn)}.fail-info{color:var(--ref)}.pass{color:var(--ok)}.skipped{color:var(--muted)}
.check{background:var(--card);border-radius:10px;padding:12px 18px;margin:12px 0}.check header{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}.check h3{margin:0;font-size:16px}
table{margin-top:6px}
details{margin-top:4px}summary{cursor:pointer;color:var(--muted);font-size:12px}pre{font:12px ui-monospace,Menlo,monospace;white-space:pre-wrap;word-break:break-word;margin:4px 0;max-height:260px;overflow:auto}
svg{max-width:760px}footer{margin-top:40px}
`;

const badgeClass = (f: Pick<Finding, 'verdict' | 'severity'>) =>
  f.verdict === 'fail' ? `fail-${f.severity}` : f.verdict;
const badge = (f: Pick<Finding, 'verdict' | 'severity'>) =>
  `<span class="badge ${badgeClass(f)}">${f.verdict === 'fail' ? (f.severity === 'info' ? 'note' : f.severity === 'warning' ? 'warning' : 'fail') : f.verdict}</span>`;

/** Short, readable evidence: numbers rounded, arrays trimmed. */
function evidenceText(evidence: Record<string, unknown>): string {
  const trim = (v: unknown, depth: number): unknown => {
    if (typeof v === 'number') return Number.isFinite(v) ? Number(v.toPrecision(6)) : String(v);
    if (Array.isArray(v)) return v.slice(0, 12).map((x) => trim(x, depth + 1));
    if (v && typeof v === 'object' && depth < 4)
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== undefined)
          .map(([k, x]) => [k, trim(x, depth + 1)]),
      );
    return v;
  };
  return JSON.stringify(trim(evidence, 0), null, 1);
}

function checkSection(
  result: PipelineCheckResult,
  check: CheckName,
  title: string,
  what: string,
  i: number,
): string {
  const list = result.findings.filter((f) => f.check === check).sort((p, q) => rank(p) - rank(q));
  const worst = list[0] ?? { verdict: 'skipped' as const, severity: 'info' as const };
  // many per-feature passes (or notes) of one kind read better as one line
  const minor = (f: Finding) =>
    f.feature !== null && (f.verdict === 'pass' || (f.verdict === 'fail' && f.severity === 'info'));
  const kinds = new Map<string, Finding[]>();
  for (const f of list.filter(minor)) kinds.set(f.kind, [...(kinds.get(f.kind) ?? []), f]);
  const grouped = new Map([...kinds].filter(([, g]) => g.length > 3));
  const groupText: Record<string, string> = {
    unchanged: 'identical on every paired row',
    'training-artifact': 'moved only within what retraining alone moves them (training artifact)',
  };
  const rows = [
    ...list.filter((f) => !(minor(f) && grouped.has(f.kind))),
    ...[...grouped].map(
      ([kind, g]): Finding => ({
        ...g[0],
        feature: null,
        message: `${g.length} features ${groupText[kind] ?? `pass (${kind})`}: ${g.map((f) => f.feature).join(', ')}`,
        evidence: {},
      }),
    ),
  ]
    .map(
      (f) =>
        `<tr><td>${badge(f)}</td><td>${f.feature ? `<code>${escapeHtml(f.feature)}</code>` : '<span class="muted">—</span>'}</td><td>${escapeHtml(f.message)}${
          Object.keys(f.evidence).length > 0
            ? `<details><summary>evidence (${escapeHtml(f.kind)})</summary><pre>${escapeHtml(evidenceText(f.evidence))}</pre></details>`
            : ''
        }</td></tr>`,
    )
    .join('');
  return `<section class="check"><header>${badge(worst)}<h3>${i + 1}. ${escapeHtml(title)}</h3><span class="muted small">${escapeHtml(what)}</span></header>${
    rows
      ? `<table><thead><tr><th style="width:90px">verdict</th><th style="width:150px">feature</th><th>finding</th></tr></thead><tbody>${rows}</tbody></table>`
      : ''
  }</section>`;
}

const rank = (f: Finding) =>
  f.verdict === 'fail' ? { error: 0, warning: 1, info: 2 }[f.severity] : f.verdict === 'pass' ? 3 : 4;

function shapSection(result: PipelineCheckResult): string {
  const rows = result.shap ?? [];
  if (rows.length === 0) return '';
  const shown = rows.slice(0, 12);
  const chart = intervalsSvg(
    shown.map((r) => ({
      name: r.feature,
      reference: r.before
        ? { value: r.before.value, ci: { low: r.before.low, high: r.before.high } }
        : undefined,
      current: r.after ? { value: r.after.value, ci: { low: r.after.low, high: r.after.high } } : undefined,
    })),
  )
    .replace(
      'aria-label="performance with 95% confidence intervals, reference vs current"',
      'aria-label="share of mean |SHAP| with 95% bootstrap intervals, before vs after"',
    )
    .replace('>reference</text>', '>before</text>')
    .replace('>current</text>', '>after</text>');
  const table = shown
    .map((r) => {
      const inside = r.chanceBand !== null && Math.abs(r.shift.value) <= r.chanceBand;
      return `<tr><td><code>${escapeHtml(r.feature)}</code></td><td class="num">${r.before ? formatPercent(r.before.value) : '—'}</td><td class="num">${r.after ? formatPercent(r.after.value) : '—'}</td><td class="num">${r.shift.value >= 0 ? '+' : ''}${formatPercent(r.shift.value)} <span class="muted">[${formatPercent(r.shift.low)}, ${formatPercent(r.shift.high)}]</span></td><td class="num">${r.chanceBand === null ? '—' : `≤ ${formatPercent(r.chanceBand)}`}</td><td>${r.chanceBand === null ? '' : inside ? '<span class="muted">within chance</span>' : '<span class="fail-warning">beyond chance</span>'}</td></tr>`;
    })
    .join('');
  return `<h2>SHAP importance before and after</h2><p class="muted small">Share of total mean |SHAP| per feature, with 95% bootstrap intervals over the explained rows. Chance band: how far the share moves when only the training seed or a bootstrap resample of the training rows changes.</p>${chart}<table><thead><tr><th>feature</th><th>before</th><th>after</th><th>shift [95% CI]</th><th>chance band</th><th></th></tr></thead><tbody>${table}</tbody></table>`;
}

/** Renders the page (see the module comment). */
export function renderPipelineHtml(result: PipelineCheckResult, options: PipelineHtmlOptions = {}): string {
  const { title } = { ...defaults, ...options };
  const tone = result.failed ? 'bad' : result.verdicts.includes('no-material-change') ? '' : 'warn';
  const names = result.verdicts
    .map(
      (v) =>
        `<span class="badge ${tone === 'bad' ? 'fail-error' : tone === 'warn' ? 'fail-warning' : 'pass'}">${escapeHtml(v)}</span>`,
    )
    .join(' ');
  const c = result.context;
  const src = options.sources
    ? `<code>${escapeHtml(options.sources.before)}</code> → <code>${escapeHtml(options.sources.after)}</code> · `
    : '';
  const header = `${src}${formatNumber(c.rowsBefore)} → ${formatNumber(c.rowsAfter)} rows · ${
    c.paired
      ? `paired by <code>${escapeHtml(c.key ?? '')}</code> (${formatNumber(c.pairedRows ?? 0)} matched)`
      : 'unpaired (distributional)'
  }${c.label ? ` · label <code>${escapeHtml(c.label)}</code>` : ''}${c.rawGiven ? ' · raw inputs given' : ''} · seed ${c.seed}`;
  const verdict = `<div class="verdict ${tone}"><div class="big">${names}</div><p>${escapeHtml(result.summary)}</p>${
    result.implicated.length
      ? `<p><b>Implicated:</b> ${result.implicated.map((f) => `<code>${escapeHtml(f)}</code>`).join(', ')}</p>`
      : ''
  }<b>What to do</b><ul>${result.actions.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul></div>`;
  const checks = CHECKS.map(([check, t, what], i) => checkSection(result, check, t, what, i)).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${CSS}</style></head><body><main><h1>${escapeHtml(title)}</h1><div class="muted small">${header}${
    options.generatedAt ? ` · ${escapeHtml(options.generatedAt)}` : ''
  }</div>${verdict}<h2>Checklist</h2>${checks}${shapSection(result)}<footer>Plumbline check-pipeline. Exit status ${result.failed ? '1: a failing check of severity error' : '0'}.</footer></main></body></html>`;
}

/** Terminal summary of an RCA report: windows, ranked hypotheses with evidence and actions, caveats. */
import type { RcaReport, WindowSummary } from './hypotheses.js';

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const iso = (ms: number): string =>
  Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') : '?';

function windowLine(name: string, w: WindowSummary): string {
  const lat = w.meanLatencyMs === null ? '' : `, mean latency ${w.meanLatencyMs.toFixed(1)} ms`;
  return `${name.padEnd(9)} ${iso(w.fromMs)} → ${iso(w.toMs)}  ${w.n} events, ${w.labelled} labelled, error rate ${pct(w.errorRate)}${lat}`;
}

/** Renders the report as plain text (no colours), one hypothesis per block. */
export function renderRcaText(report: RcaReport): string {
  const lines: string[] = [];
  lines.push(
    `Root-cause analysis of ${report.trigger.metric}${report.trigger.alertId ? ` (alert ${report.trigger.alertId})` : ''}`,
  );
  lines.push(windowLine('window', report.window), windowLine('baseline', report.baseline), '');
  if (report.hypotheses.length === 0) lines.push('No hypothesis: nothing explains the change.');
  report.hypotheses.forEach((h, i) => {
    const s = h.subject;
    const what =
      s.feature ??
      s.version ??
      Object.entries(s.tag ?? s.segment ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(' & ');
    lines.push(`${i + 1}. [${h.kind}] ${what}  score ${h.score.toFixed(2)}`);
    for (const e of h.evidence) lines.push(`     - ${e.text}`);
    lines.push(`     → ${h.action}`);
  });
  lines.push('', 'Caveats:');
  for (const c of report.caveats) lines.push(`  * ${c}`);
  return `${lines.join('\n')}\n`;
}

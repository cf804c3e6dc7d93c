/**
 * RCA reports: the list of a model's stored reports (with a form to run one), and one report —
 * ranked hypotheses with their evidence and action, the metric around the window, SHAP shift bars,
 * segment and tag tables, the version/tag timeline and the caveats. A report is either stored
 * (`#/models/{m}/rca/{id}`) or run on demand (`#/models/{m}/rca/run?from=…&to=…`, write keys only).
 */
import { useEffect } from 'react';
import {
  beyondNetRiseNote,
  formatExcessErrors,
  segmentContributions,
} from '../../../src/rca/segment-contribution.js';
import { catalog, describeSubject, type Point, type Report, rcaReports, runRca, series } from '../api.js';
import { Chart } from '../components/Chart.js';
import { TableHead } from '../components/TableHead.js';
import { Timeline } from '../components/Timeline.js';
import { DAY, fmt, pct, time } from '../format.js';
import { useLoad } from '../hooks.js';
import { storedReport, timelineSpan } from '../rca-data.js';
import { rcaRequestOf, rcaRunLink } from '../rca-link.js';
import { href, navigate, type Route } from '../router.js';
import { canWrite, useSession } from '../session.js';

type Hypothesis = Report['hypotheses'][number];
type Evidence = Hypothesis['evidence'][number];

/** A model's stored reports, and a form to run one. */
export function RcaListPage(props: { route: Route }) {
  const model = props.route.parts[1];
  const session = useSession();
  const state = useLoad(() => rcaReports(model), `rca list ${model}`);
  const cat = useLoad(() => catalog(model), `cat ${model}`);
  const lastDay =
    cat.status === 'ok' && cat.data.toMs !== null ? Math.floor(cat.data.toMs / DAY) * DAY : null;
  return (
    <section>
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href="#/">Models</a> › <a href={href(`/models/${encodeURIComponent(model)}`)}>{model}</a> › RCA
      </nav>
      <h1>Root-cause analyses of {model}</h1>
      {canWrite(session) && lastDay !== null && (
        <form
          className="act"
          aria-label="Run RCA"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const from = Date.parse(`${f.get('day')}T00:00:00Z`);
            navigate(rcaRunLink(model, { from, to: from + DAY, metric: String(f.get('metric')) }));
          }}
        >
          <label>
            Day <input type="date" name="day" defaultValue={new Date(lastDay).toISOString().slice(0, 10)} />
          </label>
          <label>
            Metric{' '}
            <select name="metric" defaultValue="error_rate">
              <option value="error_rate">error rate</option>
              <option value="latency_ms">latency</option>
            </select>
          </label>
          <span className="muted">against the day before</span>
          <button type="submit">Run RCA</button>
        </form>
      )}
      {state.status === 'loading' && <p aria-busy="true">Loading reports…</p>}
      {state.status === 'error' && <p role="alert">{state.error.message}</p>}
      {state.status === 'ok' && state.data === null && (
        <p className="muted">This server does not store RCA reports: run one above or from an alert.</p>
      )}
      {state.status === 'ok' && state.data !== null && (
        <table className="grid" data-testid="rca-list">
          <TableHead columns={['created', 'window (UTC)', 'metric', 'segment', 'alert', 'top hypothesis']} />
          <tbody>
            {state.data.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  No report yet.
                </td>
              </tr>
            )}
            {state.data.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={href(`/models/${encodeURIComponent(model)}/rca/${encodeURIComponent(r.id)}`)}>
                    {time(r.createdAtMs)}
                  </a>
                </td>
                <td>{r.window ? `${time(r.window.fromMs)} → ${time(r.window.toMs)}` : '—'}</td>
                <td>{r.trigger.metric}</td>
                <td>{r.trigger.segment ? describeSubject({ segment: r.trigger.segment }) : 'all'}</td>
                <td>{r.trigger.alertId ? <a href={href(`/alerts/${r.trigger.alertId}`)}>alert</a> : '—'}</td>
                <td>{r.top}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One report: stored (`…/rca/{id}`) or run on demand (`…/rca/run?…`). */
export function RcaPage(props: { route: Route }) {
  const model = props.route.parts[1];
  const id = props.route.parts[3];
  const session = useSession();
  const request = id === 'run' ? rcaRequestOf(props.route.params) : null;
  const allowed = id !== 'run' || canWrite(session);
  const state = useLoad(async () => {
    if (!allowed) return null;
    if (id !== 'run') return storedReport(model, id);
    if (!request) throw new Error('the run link needs from < to (ISO 8601)');
    return runRca(model, request);
  }, `rca ${model} ${id} ${props.route.params} ${allowed}`);
  const storedId = id === 'run' && state.status === 'ok' ? state.data?.id : undefined;
  useEffect(() => {
    // a stored run gets its permanent link (a reload then reads it instead of running again)
    if (storedId)
      history.replaceState(
        null,
        '',
        href(`/models/${encodeURIComponent(model)}/rca/${encodeURIComponent(storedId)}`),
      );
  }, [storedId, model]);
  return (
    <section>
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href="#/">Models</a> › <a href={href(`/models/${encodeURIComponent(model)}`)}>{model}</a> ›{' '}
        <a href={href(`/models/${encodeURIComponent(model)}/rca`)}>RCA</a> › {id === 'run' ? 'new' : id}
      </nav>
      {!session.known && id === 'run' ? (
        <p aria-busy="true">Checking the key…</p>
      ) : !allowed ? (
        <p role="alert" data-testid="rca-forbidden">
          Running an RCA needs a key with the admin scope; this session's key is read-only.
        </p>
      ) : state.status === 'loading' ? (
        <p aria-busy="true">{id === 'run' ? 'Running the analysis (a few seconds)…' : 'Loading report…'}</p>
      ) : state.status === 'error' ? (
        <p role="alert">{state.error.message}</p>
      ) : state.data ? (
        <ReportView model={model} report={state.data} />
      ) : null}
    </section>
  );
}

function WindowLine(props: { name: string; w: Report['window']; latency: boolean }) {
  const { w } = props;
  return (
    <tr>
      <th scope="row">{props.name}</th>
      <td>
        {time(w.fromMs)} → {time(w.toMs)}
      </td>
      <td>{fmt(w.n)}</td>
      <td>{fmt(w.labelled)}</td>
      <td>{props.latency ? `${fmt(w.meanLatencyMs, 3)} ms` : pct(w.errorRate)}</td>
    </tr>
  );
}

function ReportView(props: { model: string; report: Report }) {
  const { model, report: r } = props;
  const latency = /latency/i.test(r.trigger.metric);
  const seg = r.trigger.segment ? describeSubject({ segment: r.trigger.segment }) : null;
  const top = r.hypotheses[0];
  return (
    <>
      <h1>
        RCA of {r.trigger.metric}
        {seg ? ` · ${seg}` : ''}
      </h1>
      <p data-testid="rca-summary">
        {top ? (
          <>
            Most likely: <strong>{top.kind}</strong>{' '}
            <strong>{describeSubject(top.subject) || 'population'}</strong> (score {fmt(top.score, 2)}).{' '}
            {top.action}
          </>
        ) : (
          'No hypothesis explains the change.'
        )}
        {r.trigger.alertId && (
          <>
            {' '}
            <a href={href(`/alerts/${r.trigger.alertId}`)}>Triggering alert</a>.
          </>
        )}
        {r.id && <span className="muted"> Report {r.id}.</span>}
      </p>
      <table className="grid" data-testid="rca-windows">
        <TableHead
          columns={['window', 'span (UTC)', 'events', 'labelled', latency ? 'mean latency' : 'error rate']}
        />
        <tbody>
          <WindowLine name="analysed" w={r.window} latency={latency} />
          <WindowLine name="baseline" w={r.baseline} latency={latency} />
        </tbody>
      </table>
      <h2>Hypotheses</h2>
      {r.hypotheses.length === 0 && <p>No hypothesis explains the change.</p>}
      <ol className="hypotheses" data-testid="hypotheses">
        {r.hypotheses.map((h) => (
          <HypothesisCard key={`${h.kind}-${describeSubject(h.subject)}`} h={h} />
        ))}
      </ol>
      <div className="charts">
        <MetricAround model={model} report={r} />
        <ShapBars report={r} />
      </div>
      <SegmentTable report={r} />
      <TagTable report={r} latency={latency} />
      <h2>Versions and tags over time</h2>
      <TimelineAround model={model} report={r} />
      <h2>Caveats</h2>
      <ul className="caveats" data-testid="caveats">
        {r.caveats.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
    </>
  );
}

/** The evidence's figures as `name value`; a segment's share of the net rise capped at 100 % as in its table. */
function evidenceFigures(e: Evidence): string {
  return Object.entries(e.figures ?? {})
    .map(([k, v]) =>
      k === 'shareExplained' && typeof v === 'number'
        ? `share of net rise ${pct(Math.min(1, Math.max(0, v)))}${v > 1 ? ' (more than the net rise)' : ''}`
        : `${k} ${typeof v === 'number' ? fmt(v, 3) : (v ?? '—')}`,
    )
    .join(' · ');
}

function HypothesisCard(props: { h: Hypothesis }) {
  const { h } = props;
  const subject = describeSubject(h.subject) || 'whole population';
  return (
    <li className="hypothesis" data-kind={h.kind} data-subject={subject}>
      <div className="hyp-head">
        <span className={`badge kind-${h.kind}`}>{h.kind}</span>
        <strong className="hyp-subject">{subject}</strong>
        <span className="score" aria-hidden="true">
          <span
            className="score-bar"
            style={{ width: `${Math.round(100 * Math.min(1, Math.max(0, h.score)))}%` }}
          />
        </span>
        <span className="score-value" data-testid="score">
          score {fmt(h.score, 2)}
        </span>
      </div>
      <p className="action">→ {h.action}</p>
      <table className="grid evidence">
        <TableHead columns={['test', 'statistic', 'p', 'effect', 'interval', 'finding']} />
        <tbody>
          {h.evidence.map((e) => (
            <tr key={`${e.test}-${e.text}`}>
              <td>{e.test}</td>
              <td>{fmt(e.statistic, 3)}</td>
              <td>{fmt(e.pValue, 2)}</td>
              <td>{fmt(e.effect, 3)}</td>
              <td>{e.interval ? `[${fmt(e.interval.low, 3)}, ${fmt(e.interval.high, 3)}]` : '—'}</td>
              <td className="reason">
                {e.text}
                {e.figures && <span className="figures">{evidenceFigures(e)}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </li>
  );
}

/** The trigger's metric per day around the window, the baseline and window shaded. */
function MetricAround(props: { model: string; report: Report }) {
  const r = props.report;
  const s = r.charts?.series;
  if (s && s.timeMs.length > 0) {
    const latency = /latency/i.test(r.trigger.metric);
    const point = (t: number, v: number | null): Point => ({
      version: '*',
      window: { size: 'hour', startMs: t },
      value: v !== null && Number.isFinite(v) ? v : null,
      ciLow: null,
      ciHigh: null,
      n: 0,
      status: 'ok',
      estimated: false,
    });
    // a gap (between a reference baseline and the window) breaks the line instead of bridging it
    const steps = s.timeMs.slice(1).map((t, i) => t - s.timeMs[i]);
    const step = [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)] ?? 0;
    const points: Point[] = [];
    s.timeMs.forEach((t, i) => {
      if (i > 0 && step > 0 && t - s.timeMs[i - 1] > 3 * step)
        points.push(point(s.timeMs[i - 1] + step, null));
      points.push(point(t, s.value[i]));
    });
    return (
      <Chart
        title={`${latency ? r.trigger.metric : 'error rate'} over both windows, with its change point`}
        series={[{ label: latency ? r.trigger.metric : 'error rate', points, color: '--c1' }]}
        marks={windowMarks(r, r.charts?.changeMs ?? null)}
      />
    );
  }
  return <MonitorMetric model={props.model} report={r} />;
}

/** The baseline and window spans and the change point as chart marks. */
function windowMarks(r: Report, change: number | null) {
  return [
    { fromMs: r.baseline.fromMs, toMs: r.baseline.toMs, label: 'baseline', color: '--c3' },
    { fromMs: r.window.fromMs, toMs: r.window.toMs, label: 'window', color: '--c2' },
    ...(change === null ? [] : [{ fromMs: change, toMs: change, label: 'change', color: '--c4' }]),
  ];
}

/** The trigger's metric per day from the monitor (reports without chart data). */
function MonitorMetric(props: { model: string; report: Report }) {
  const { model, report: r } = props;
  const latency = /latency/i.test(r.trigger.metric);
  const metric = latency ? 'latency_p95' : 'accuracy';
  const fromMs = Math.floor(r.baseline.fromMs / DAY) * DAY - 14 * DAY;
  const toMs = Math.ceil(r.window.toMs / DAY) * DAY + 7 * DAY;
  const state = useLoad(
    async () => {
      const cat = await catalog(model);
      // the trigger's segment as the monitor names it (tags carry their `tags.` prefix)
      const wanted = r.trigger.segment ? Object.entries(r.trigger.segment) : [];
      const segment =
        wanted.length === 1
          ? cat.segments.find(
              (s) => s === `${wanted[0][0]}=${wanted[0][1]}` || s === `tags.${wanted[0][0]}=${wanted[0][1]}`,
            )
          : 'all';
      const pts = await series(model, metric, { window: 'day', segment: segment ?? 'all', fromMs, toMs });
      return { segment: segment ?? 'all', points: latency ? pts : pts.map(errorPoint) };
    },
    `around ${model} ${metric} ${fromMs} ${toMs} ${JSON.stringify(r.trigger.segment ?? {})}`,
  );
  if (state.status !== 'ok') return <p aria-busy="true">Loading the metric…</p>;
  return (
    <Chart
      title={`${latency ? 'latency p95 (ms)' : 'error rate (1 − accuracy)'} per day, segment ${state.data.segment}`}
      series={[
        { label: latency ? 'p95' : 'error rate', points: state.data.points, color: '--c1', band: !latency },
      ]}
      marks={windowMarks(r, null)}
    />
  );
}

const errorPoint = (p: Point): Point => ({
  ...p,
  value: p.value === null ? null : 1 - p.value,
  ciLow: p.ciHigh === null ? null : 1 - p.ciHigh,
  ciHigh: p.ciLow === null ? null : 1 - p.ciLow,
});

/** Δ mean SHAP per feature (current − baseline) with its bootstrap interval, from the shap-shift evidence. */
function ShapBars(props: { report: Report }) {
  const rows = new Map<string, { shift: number; low: number; high: number }>();
  for (const r of props.report.charts?.shap ?? []) rows.set(r.feature, r);
  for (const h of props.report.hypotheses)
    for (const e of h.evidence)
      if (
        e.test === 'shap-shift' &&
        e.effect !== undefined &&
        e.interval &&
        h.subject.feature &&
        !rows.has(h.subject.feature)
      )
        rows.set(h.subject.feature, { shift: e.effect, low: e.interval.low, high: e.interval.high });
  const list = [...rows.entries()].sort((a, b) => Math.abs(b[1].shift) - Math.abs(a[1].shift));
  if (list.length === 0)
    return (
      <figure className="chart">
        <figcaption>SHAP shift</figcaption>
        <p className="empty">No feature hypothesis carries a SHAP comparison.</p>
      </figure>
    );
  const W = 560;
  const row = 26;
  const m = { l: 130, r: 60, t: 6 };
  const H = m.t + row * list.length + 20;
  const extent = Math.max(
    1e-12,
    ...list.flatMap(([, r]) => [Math.abs(r.low), Math.abs(r.high), Math.abs(r.shift)]),
  );
  const iw = W - m.l - m.r;
  const x = (v: number) => m.l + iw / 2 + (v / extent) * (iw / 2);
  return (
    <figure className="chart" data-testid="shap-bars">
      <figcaption>SHAP shift: Δ mean SHAP per feature (window − baseline), 95% interval</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="change in mean SHAP per feature">
        {list.map(([f, r], i) => {
          const y = m.t + i * row;
          return (
            <g key={f} data-feature={f}>
              <title>{`${f}: Δ mean SHAP ${fmt(r.shift, 3)} [${fmt(r.low, 3)}, ${fmt(r.high, 3)}]`}</title>
              <text x={m.l - 8} y={y + 16} textAnchor="end" className="svg-text">
                {f}
              </text>
              <rect
                x={Math.min(x(0), x(r.shift))}
                y={y + 5}
                width={Math.abs(x(r.shift) - x(0))}
                height={row - 10}
                className={r.shift >= 0 ? 'bar-pos' : 'bar-neg'}
              />
              <line x1={x(r.low)} x2={x(r.high)} y1={y + row / 2} y2={y + row / 2} className="whisker" />
              {/* the value on the other side of zero from its bar: never over a bar or a name */}
              <text
                x={x(0) + (r.shift >= 0 ? -4 : 4)}
                y={y + 16}
                textAnchor={r.shift >= 0 ? 'end' : 'start'}
                className="svg-text"
              >
                {fmt(r.shift, 2)}
              </text>
            </g>
          );
        })}
        <line x1={x(0)} x2={x(0)} y1={m.t} y2={H - 20} className="svg-axis" />
        <text x={x(0)} y={H - 4} textAnchor="middle" className="svg-text">
          0
        </text>
      </svg>
    </figure>
  );
}

const figure = (e: Evidence | undefined, k: string): number | null => {
  const v = e?.figures?.[k];
  return typeof v === 'number' ? v : null;
};

/** A row of the segment table. */
type SegmentRow = NonNullable<Report['charts']>['segments'][number] & { kind: string };

/** The segments whose error rate rose: the report's chart data, else its segment hypotheses. */
function segmentRows(r: Report): SegmentRow[] {
  const kinds = new Map(
    r.hypotheses.filter((h) => h.subject.segment).map((h) => [describeSubject(h.subject), h.kind] as const),
  );
  if (r.charts)
    return r.charts.segments.map((x) => ({
      ...x,
      kind: kinds.get(x.segment) ?? '',
    }));
  return r.hypotheses
    .filter((h) => h.subject.segment && (h.kind === 'segment' || h.kind === 'label-shift'))
    .map((h) => {
      const e = h.evidence[0];
      return {
        segment: describeSubject(h.subject),
        kind: h.kind,
        n: figure(e, 'n') ?? Number.NaN,
        rateNow: figure(e, 'rateNow') ?? Number.NaN,
        low: e?.interval?.low ?? Number.NaN,
        high: e?.interval?.high ?? Number.NaN,
        rateBaseline: figure(e, 'rateBaseline') ?? Number.NaN,
        shareExplained: figure(e, 'shareExplained'),
        pValue: e?.pValue ?? Number.NaN,
      };
    });
}

/** The segment table: error rate now [CI] vs baseline, excess errors and share of the net rise, adjusted p. */
function SegmentTable(props: { report: Report }) {
  const rows = segmentRows(props.report);
  if (rows.length === 0) return <p className="muted">No segment's error rate rose significantly.</p>;
  const c = segmentContributions(rows);
  const capped = c.rows.some((x) => x.beyondNetRise);
  const note = beyondNetRiseNote(c.netRise);
  return (
    <>
      <table className="grid" data-testid="rca-segments">
        <caption>
          Segments whose error rate rose (two-proportion z, Benjamini–Hochberg); excess errors = n × (error
          now − baseline)
        </caption>
        <TableHead
          columns={[
            'segment',
            'hypothesis',
            'n',
            'error now [95% CI]',
            'baseline',
            'excess errors',
            'share of net rise',
            'adjusted p',
          ]}
        />
        <tbody>
          {rows.map((x, i) => (
            <tr key={x.segment}>
              <th scope="row">{x.segment}</th>
              <td>{x.kind || '—'}</td>
              <td>{fmt(x.n)}</td>
              <td>
                {pct(x.rateNow)} [{pct(x.low)}, {pct(x.high)}]
              </td>
              <td>{pct(x.rateBaseline)}</td>
              <td data-testid="excess">{formatExcessErrors(c.rows[i].excessErrors)}</td>
              <td data-testid="share">
                {pct(c.rows[i].share)}
                {c.rows[i].beyondNetRise && <sup title={note}>*</sup>}
              </td>
              <td>{fmt(x.pValue, 2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {capped && (
        <p className="muted table-note" data-testid="beyond-net-rise">
          * {note}
        </p>
      )}
    </>
  );
}

/** Tag and version values: the metric inside vs outside and the traffic share before and now. */
function TagTable(props: { report: Report; latency: boolean }) {
  const r = props.report;
  const rows =
    r.charts?.shares ??
    r.hypotheses
      .filter((h) => h.subject.tag || h.subject.version)
      .map((h) => {
        const inside = h.evidence.find((e) => e.figures && 'inside' in e.figures);
        const share = h.evidence.find((e) => e.test === 'traffic-share');
        const [key, value] = h.subject.version
          ? ['version', h.subject.version]
          : (Object.entries(h.subject.tag ?? {})[0] ?? ['', '']);
        return {
          key,
          value,
          inside: figure(inside, 'inside') ?? Number.NaN,
          outside: figure(inside, 'outside') ?? Number.NaN,
          shareBaseline: figure(share, 'baseline') ?? Number.NaN,
          shareNow: figure(share, 'current') ?? Number.NaN,
          aligned: false,
        };
      });
  if (rows.length === 0) return null;
  const blamed = new Set(
    r.hypotheses.map((h) =>
      h.subject.version ? `version=${h.subject.version}` : describeSubject({ tag: h.subject.tag }),
    ),
  );
  const show = (v: number) => (props.latency ? `${fmt(v, 3)} ms` : pct(v));
  return (
    <table className="grid" data-testid="rca-tags">
      <caption>Tags and versions: the metric inside and outside each value, its traffic share</caption>
      <TableHead
        columns={[
          'value',
          'metric inside',
          'outside',
          'share before',
          'share now',
          'changed with the metric',
        ]}
      />
      <tbody>
        {rows.map((x) => (
          <tr key={`${x.key}=${x.value}`} className={blamed.has(`${x.key}=${x.value}`) ? 'selected' : ''}>
            <th scope="row">
              {x.key}={x.value}
            </th>
            <td>{show(x.inside)}</td>
            <td>{show(x.outside)}</td>
            <td>{pct(x.shareBaseline)}</td>
            <td>{pct(x.shareNow)}</td>
            <td>{x.aligned ? 'yes' : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The timeline from 28 days before the baseline to 14 days after the window, clamped to the days
 * that hold metric points (the catalog's first and last window start): no empty days past the data.
 */
function TimelineAround(props: { model: string; report: Report }) {
  const { model, report: r } = props;
  const cat = useLoad(() => catalog(model), `cat ${model}`);
  if (cat.status !== 'ok') return null;
  const span = timelineSpan(r, cat.data);
  if (!span) return <p className="muted">No metric points around the report's windows.</p>;
  return (
    <Timeline
      model={model}
      fromMs={span.fromMs}
      toMs={span.toMs}
      marks={[
        { fromMs: r.baseline.fromMs, toMs: r.baseline.toMs, label: 'baseline', color: '--c3' },
        { fromMs: r.window.fromMs, toMs: r.window.toMs, label: 'window', color: '--c2' },
      ]}
    />
  );
}

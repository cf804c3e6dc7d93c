/** Model: range and window controls, performance, drift heatmap, quality, infra and segments. */
import { useEffect } from 'react';
import { type Catalog, catalog, latest, type Point } from '../api.js';
import { Chart, TimeRangeContext } from '../components/Chart.js';
import { Timeline } from '../components/Timeline.js';
import { DAY, day, fmt, pct, viridis } from '../format.js';
import { useLoad } from '../hooks.js';
import {
  activeAlerts,
  bodyData,
  dataRange,
  type ModelView,
  modelView,
  perfMetrics,
  prefetchModel,
  segmentData,
  viewQuery,
} from '../model-data.js';
import { rcaRunLink } from '../rca-link.js';
import { href, navigate, type Route } from '../router.js';
import { canWrite, useSession } from '../session.js';

export { type ModelView, modelView, viewQuery } from '../model-data.js';

const link = (v: ModelView, over: Partial<ModelView>) => {
  const n = { ...v, ...over };
  return href(`/models/${encodeURIComponent(n.model)}`, {
    window: n.window,
    segment: n.segment === 'all' ? undefined : n.segment,
    metric: n.metric === 'roc_auc' ? undefined : n.metric,
    from: n.from,
    to: n.to,
    sort: n.sort,
  });
};

function Controls(props: { view: ModelView; cat: Catalog }) {
  const { view, cat } = props;
  const go = (over: Partial<ModelView>) => navigate(link(view, over));
  const q = viewQuery(view, cat);
  return (
    <form className="controls" aria-label="View" onSubmit={(e) => e.preventDefault()}>
      <label>
        From{' '}
        <input
          type="date"
          value={day(q.fromMs)}
          onChange={(e) => go({ from: e.target.value || undefined })}
        />
      </label>
      <label>
        To{' '}
        <input
          type="date"
          value={day(q.toMs - DAY)}
          onChange={(e) => go({ to: e.target.value || undefined })}
        />
      </label>
      <label>
        Window{' '}
        <select value={view.window} onChange={(e) => go({ window: e.target.value as 'day' | 'hour' })}>
          <option value="day">day</option>
          <option value="hour">hour</option>
        </select>
      </label>
      <label>
        Segment{' '}
        <select value={view.segment} onChange={(e) => go({ segment: e.target.value })}>
          <option value="all">all</option>
          {cat.segments
            .filter((s) => s !== 'all')
            .map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
        </select>
      </label>
      <label>
        Metric{' '}
        <select value={view.metric} onChange={(e) => go({ metric: e.target.value })}>
          {perfMetrics.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}

function Heatmap(props: { view: ModelView; features: string[]; drift: Record<string, Point[]> }) {
  const { view, features, drift } = props;
  const xs = [
    ...new Set(features.flatMap((f) => (drift[`drift.${f}`] ?? []).map((p) => p.window.startMs))),
  ].sort((a, b) => a - b);
  // colour saturates at 2.5 × the materiality floor (PSI 0.25, the usual "major shift"), so that one
  // feature's huge effect does not wash out the others; square root spreads the small effects
  const floor =
    features.flatMap((f) => drift[`drift.${f}`] ?? []).find((p) => p.baseline !== undefined)?.baseline ?? 0.1;
  const max = 2.5 * floor;
  if (xs.length === 0) return <p className="empty">No drift points (drift is computed on day windows).</p>;
  return (
    <div className="scroll">
      <table className="heatmap" data-testid="heatmap">
        <caption>Feature drift effect size per day (● significant and material)</caption>
        <thead>
          <tr>
            <th scope="col">feature</th>
            {xs.map((x) => (
              <th key={x} scope="col">
                {day(x).slice(5)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {features.map((f) => {
            const byX = new Map((drift[`drift.${f}`] ?? []).map((p) => [p.window.startMs, p]));
            return (
              <tr key={f}>
                <th scope="row">
                  <a href={featureLink(view, f)}>{f}</a>
                </th>
                {xs.map((x) => {
                  const p = byX.get(x);
                  if (!p || p.value === null)
                    return (
                      <td key={x} className="na">
                        <span className="sr-only">no verdict</span>·
                      </td>
                    );
                  const c = viridis(Math.sqrt(Math.min(1, p.value / max)));
                  const test = String(p.detail?.test ?? 'effect');
                  return (
                    <td key={x}>
                      <a
                        className="cell"
                        style={{ background: c.bg, color: c.fg }}
                        href={featureLink(view, f)}
                        aria-label={`${f} ${day(x)}: ${test} ${fmt(p.value, 3)}${p.significant ? ', drifted' : ''}`}
                        title={`${test} ${fmt(p.value, 3)}, BH-adjusted p ${fmt(p.detail?.adjustedPValue as number | undefined, 2)}, ${p.detail?.material ? 'material' : 'not material'}`}
                        data-feature={f}
                      >
                        {fmt(p.value, 2)}
                        {p.significant ? ' ●' : ''}
                      </a>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="legend" aria-hidden="true">
        0
        <span className="ramp" />≥ {fmt(max, 2)} (material from {fmt(floor, 2)})
      </div>
    </div>
  );
}

/** Link to a feature's page keeping the range. */
export const featureLink = (v: ModelView, feature: string) =>
  href(`/models/${encodeURIComponent(v.model)}/features/${encodeURIComponent(feature)}`, {
    from: v.from,
    to: v.to,
  });

type SortKey = 'segment' | 'volume' | 'value' | 'change';

function Segments(props: { view: ModelView; cat: Catalog }) {
  const { view, cat } = props;
  const order = /^(-?)(segment|volume|value|change)$/.exec(view.sort ?? '-volume') ?? ['', '-', 'volume'];
  const sort = { key: order[2] as SortKey, desc: order[1] === '-' };
  const setSort = (s: { key: SortKey; desc: boolean }) =>
    navigate(link(view, { sort: `${s.desc ? '-' : ''}${s.key}` }));
  const q = viewQuery(view, cat);
  const state = useLoad(
    () => segmentData(view),
    `segments ${view.model} ${view.metric} ${q.fromMs} ${q.toMs}`,
  );
  if (state.status !== 'ok')
    return <p>{state.status === 'loading' ? 'Loading segments…' : state.error.message}</p>;
  const rows = [...state.data].sort((a, b) => {
    const x = a[sort.key];
    const y = b[sort.key];
    const c =
      typeof x === 'string' || typeof y === 'string'
        ? String(x).localeCompare(String(y))
        : (x ?? Number.NEGATIVE_INFINITY) - (y ?? Number.NEGATIVE_INFINITY);
    return sort.desc ? -c : c;
  });
  const header = (key: SortKey, text: string) => (
    <th scope="col" aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button
        type="button"
        onClick={() => setSort({ key, desc: sort.key === key ? !sort.desc : key !== 'segment' })}
      >
        {text}
        {sort.key === key ? (sort.desc ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
  return (
    <table className="grid" data-testid="segments">
      <caption>Segments in range (click a row to filter the page)</caption>
      <thead>
        <tr>
          {header('segment', 'Segment')}
          {header('volume', 'Volume')}
          {header('value', `${view.metric} (last day)`)}
          {header('change', 'Δ vs reference')}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={r.segment}
            className={r.segment === view.segment ? 'selected clickable' : 'clickable'}
            onClick={() => navigate(link(view, { segment: r.segment }))}
          >
            <th scope="row">
              <a href={link(view, { segment: r.segment })}>{r.segment}</a>
            </th>
            <td>{fmt(r.volume)}</td>
            <td>{fmt(r.value, 3)}</td>
            <td className={r.significant && (r.change ?? 0) < 0 ? 'bad' : ''}>
              {r.change === null ? '—' : `${r.change > 0 ? '+' : ''}${fmt(r.change, 2)}`}
              {r.significant ? ' ●' : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Quality(props: { cat: Catalog; points: Record<string, Point[]>; view: ModelView }) {
  const features = [
    ...new Set(
      props.cat.metrics
        .map((m) => /^(missing_rate|new_category_rate|out_of_range_rate)\.(.+)$/.exec(m.metric)?.[2])
        .filter((f): f is string => f !== undefined),
    ),
  ];
  const cell = (m: string) => {
    const p = latest(props.points[m] ?? []);
    if (!props.points[m]) return <td className="muted">n/a</td>;
    return (
      <td className={p?.significant ? 'bad' : ''}>
        {pct(p?.value)}
        {p?.significant ? ' ●' : ''}
      </td>
    );
  };
  return (
    <table className="grid" data-testid="quality">
      <caption>Data quality in the last day of the range (● significant rise)</caption>
      <thead>
        <tr>
          <th scope="col">feature</th>
          <th scope="col">missing</th>
          <th scope="col">new categories</th>
          <th scope="col">out of range</th>
        </tr>
      </thead>
      <tbody>
        {features.map((f) => (
          <tr key={f}>
            <th scope="row">
              <a href={featureLink(props.view, f)}>{f}</a>
            </th>
            {cell(`missing_rate.${f}`)}
            {cell(`new_category_rate.${f}`)}
            {cell(`out_of_range_rate.${f}`)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Body(props: { view: ModelView; cat: Catalog }) {
  const { view, cat } = props;
  const q = viewQuery(view, cat);
  const names = cat.metrics.map((m) => m.metric);
  const features = names.filter((m) => m.startsWith('drift.')).map((m) => m.slice(6));
  const state = useLoad(() => bodyData(view), `body ${JSON.stringify({ ...view, sort: undefined })}`);
  if (state.status === 'loading') return <p aria-busy="true">Loading series…</p>;
  if (state.status === 'error') return <p role="alert">{state.error.message}</p>;
  const s = state.data;
  const lastPerf = latest(s[view.metric]);
  const lastEst = latest(s[`cbpe.${view.metric}`]);
  return (
    <TimeRangeContext.Provider value={[q.fromMs, q.toMs]}>
      <section aria-labelledby="perf">
        <h2 id="perf">Performance</h2>
        <p className="kpis">
          <span>
            {view.metric} (labelled, last):{' '}
            <strong data-testid="perf-latest">{fmt(lastPerf?.value, 4)}</strong>
            {lastPerf && ` [${fmt(lastPerf.ciLow, 3)}, ${fmt(lastPerf.ciHigh, 3)}]`}
          </span>
          <span>
            estimated (last): <strong data-testid="est-latest">{fmt(lastEst?.value, 4)}</strong>
          </span>
          {lastPerf?.baseline !== undefined && <span>reference: {fmt(lastPerf.baseline, 4)}</span>}
        </p>
        <div className="charts">
          <Chart
            title={`${view.metric} per day with 95% interval; estimated (CBPE) dashed`}
            series={[
              { label: view.metric, points: s[view.metric], color: '--c1', band: true },
              {
                label: `estimated ${view.metric}`,
                points: s[`cbpe.${view.metric}`],
                color: '--c2',
                dashed: true,
              },
            ]}
          />
          <Chart
            title="Label coverage per day"
            yRange={[0, 1]}
            series={[{ label: 'label coverage', points: s.label_coverage, color: '--c3', band: true }]}
          />
        </div>
        <RcaActions view={view} coverage={s.label_coverage} />
        <Timeline model={view.model} fromMs={q.fromMs} toMs={q.toMs} range={dataRange(view)} />
      </section>
      <section aria-labelledby="drift">
        <h2 id="drift">Drift{view.segment !== 'all' ? ' (all traffic)' : ''}</h2>
        <div className="charts">
          <Chart
            title="Score drift (effect size) and positive rate"
            series={[
              { label: 'score drift', points: s.score_drift, color: '--c4' },
              { label: 'positive rate', points: s.positive_rate, color: '--c1', band: true },
            ]}
          />
        </div>
        <Heatmap view={view} features={features} drift={s} />
      </section>
      <section aria-labelledby="quality">
        <h2 id="quality">Data quality{view.segment !== 'all' ? ' (all traffic)' : ''}</h2>
        <Quality cat={cat} points={s} view={view} />
      </section>
      <section aria-labelledby="infra">
        <h2 id="infra">Infrastructure</h2>
        <div className="charts">
          <Chart
            title={`Throughput (events per ${view.window})`}
            series={[{ label: 'events', points: s.throughput, color: '--c1' }]}
          />
          <Chart
            title="Latency (ms)"
            series={[
              { label: 'p50', points: s.latency_p50, color: '--c1' },
              { label: 'p95', points: s.latency_p95, color: '--c2' },
              { label: 'p99', points: s.latency_p99, color: '--c4' },
            ]}
          />
          <Rejects points={s.ingest_reject_rate} />
        </div>
      </section>
    </TimeRangeContext.Provider>
  );
}

/** Rejected events per hour (share of the hour's events; only hours that had rejects), all traffic. */
function Rejects(props: { points: Point[] }) {
  const rejected = props.points.reduce((t, p) => t + Number(p.detail?.rejected ?? 0), 0);
  return (
    <div data-testid="rejects">
      <Chart
        title={`Rejected events per hour, share of the hour's events (${fmt(rejected)} in range)`}
        series={[{ label: 'rejected', points: props.points, color: '--c4', dots: true }]}
      />
    </div>
  );
}

function ActiveAlerts(props: { model: string }) {
  const state = useLoad(() => activeAlerts(props.model), `alerts ${props.model}`);
  if (state.status !== 'ok' || state.data.alerts.length === 0) return null;
  const shown = state.data.alerts.slice(0, 6);
  return (
    <p className="alerts-strip" data-testid="model-alerts">
      <strong>{state.data.alerts.length} firing:</strong>{' '}
      {shown.map((a) => (
        <a key={a.id} className={`badge ${a.severity}`} href={href(`/alerts/${a.id}`)}>
          {a.labels.metric}
          {a.labels.segment && a.labels.segment !== 'all' ? ` · ${a.labels.segment}` : ''}
          {a.labels.version && a.labels.version !== '*' ? ` · ${a.labels.version}` : ''}
        </a>
      ))}
      {state.data.alerts.length > shown.length && (
        <a href={href('/alerts', { state: 'firing', model: props.model })}>all…</a>
      )}
    </p>
  );
}

/** Links to the model's RCA reports and, for write keys, an RCA of the last labelled day (segment kept). */
function RcaActions(props: { view: ModelView; coverage: Point[] }) {
  const { view } = props;
  const session = useSession();
  // error-rate RCA needs labels: the last day at least half labelled
  const last = props.coverage.filter((p) => p.status === 'ok' && (p.value ?? 0) >= 0.5).at(-1);
  const from = last?.window.startMs;
  const seg = view.segment === 'all' ? null : /^(?:tags\.)?([^=]+)=(.*)$/.exec(view.segment);
  return (
    <p className="rca-actions">
      <a href={href(`/models/${encodeURIComponent(view.model)}/rca`)}>RCA reports</a>
      {canWrite(session) && from !== undefined && (
        <>
          {' · '}
          <a
            className="button"
            data-testid="run-rca"
            href={rcaRunLink(view.model, {
              from,
              to: from + DAY,
              segment: seg ? { [seg[1]]: seg[2] } : undefined,
            })}
          >
            Run RCA on {day(from)} (last labelled day) vs the day before
          </a>
        </>
      )}
    </p>
  );
}

/** The model page. */
export function ModelPage(props: { route: Route }) {
  const view = modelView(props.route);
  const state = useLoad(() => catalog(view.model), `cat ${view.model}`);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the URL names everything the requests read
  useEffect(() => prefetchModel(view), [props.route.params.toString(), view.model]);
  return (
    <section>
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href="#/">Models</a> › {view.model}
        {view.segment !== 'all' && (
          <>
            {' '}
            › {view.segment} <a href={link(view, { segment: 'all' })}>(clear segment)</a>
          </>
        )}
      </nav>
      <h1>
        {view.model}
        {view.segment !== 'all' ? ` · ${view.segment}` : ''}
      </h1>
      {state.status === 'loading' && <p aria-busy="true">Loading…</p>}
      {state.status === 'error' && <p role="alert">{state.error.message}</p>}
      {state.status === 'ok' && state.data.fromMs === null && (
        <p data-testid="no-points">
          No metric points yet: run <code>plumbline monitor run --model {view.model}</code> after events
          arrive.
        </p>
      )}
      {state.status === 'ok' && state.data.fromMs !== null && (
        <>
          <ActiveAlerts model={view.model} />
          <Controls view={view} cat={state.data} />
          <Body view={view} cat={state.data} />
          <section aria-labelledby="segments">
            <h2 id="segments">Segments</h2>
            <Segments view={view} cat={state.data} />
          </section>
        </>
      )}
    </section>
  );
}

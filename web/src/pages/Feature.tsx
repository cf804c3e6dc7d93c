/**
 * Feature: the reference vs one day's distribution overlaid (the day in the URL, default the last;
 * a row of the drift table selects it), drift statistics over time (with each window's verdict) and
 * quality rates.
 */
import type { Point } from '../api.js';
import { Chart } from '../components/Chart.js';
import { Distribution } from '../components/Distribution.js';
import {
  dayDistribution,
  distributionDay,
  type FeatureView,
  featureSeries,
  featureView,
} from '../feature-data.js';
import { day, fmt, pct } from '../format.js';
import { useLoad } from '../hooks.js';
import { href, type Route } from '../router.js';

/** The feature page. */
export function FeaturePage(props: { route: Route }) {
  const view = featureView(props.route);
  const feature = view.feature;
  const state = useLoad(
    () => featureSeries(view),
    `feature ${view.model} ${feature} ${view.from} ${view.to}`,
  );
  const path = `/models/${encodeURIComponent(view.model)}/features/${encodeURIComponent(feature)}`;
  const back = href(`/models/${encodeURIComponent(view.model)}`, { from: view.from, to: view.to });
  return (
    <section>
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href="#/">Models</a> › <a href={back}>{view.model}</a> › {feature}
      </nav>
      <h1>
        {view.model} · feature {feature}
      </h1>
      {state.status === 'loading' && <p aria-busy="true">Loading…</p>}
      {state.status === 'error' && <p role="alert">{state.error.message}</p>}
      {state.status === 'ok' && (
        <>
          <div className="charts">
            <DayDistribution
              view={view}
              dayMs={distributionDay(view, state.data.drift)}
              drift={state.data.drift ?? []}
            />
            <Chart
              title="Drift effect size per day"
              series={[{ label: 'effect', points: state.data.drift ?? [], color: '--c4' }]}
            />
            <Chart
              title="Quality rates per day"
              series={['missing_rate', 'new_category_rate', 'out_of_range_rate']
                .filter((k) => state.data[k])
                .map((k, i) => ({
                  label: k.replace(/_/g, ' '),
                  points: state.data[k],
                  color: `--c${i + 1}`,
                }))}
            />
          </div>
          <table className="grid" data-testid="feature-table">
            <caption>Drift tests per window</caption>
            <thead>
              <tr>
                <th scope="col">day</th>
                <th scope="col">rows</th>
                <th scope="col">test</th>
                <th scope="col">effect</th>
                <th scope="col">adjusted p</th>
                <th scope="col">verdict</th>
                <th scope="col">missing</th>
                <th scope="col">reason</th>
              </tr>
            </thead>
            <tbody>
              {(state.data.drift ?? []).map((p, i) => (
                <tr key={p.window.startMs}>
                  <th scope="row">
                    <a href={href(path, { from: view.from, to: view.to, day: day(p.window.startMs) })}>
                      {day(p.window.startMs)}
                    </a>
                  </th>
                  <td>{fmt(p.n)}</td>
                  <td>{String(p.detail?.test ?? '—')}</td>
                  <td data-testid="effect">{fmt(p.value, 4)}</td>
                  <td>{fmt((p.detail?.adjustedPValue as number | undefined) ?? null, 3)}</td>
                  <td className={p.significant ? 'bad' : ''}>
                    {p.status !== 'ok' ? 'insufficient data' : p.significant ? 'drifted' : 'stable'}
                  </td>
                  <td>{pct(state.data.missing_rate?.[i]?.value)}</td>
                  <td className="reason">{String(p.detail?.reason ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** The reference vs one day of the feature (default: its last drift day), with that day's drift verdict. */
function DayDistribution(props: { view: FeatureView; dayMs: number | undefined; drift: Point[] }) {
  const { view } = props;
  const feature = view.feature;
  const state = useLoad(
    () => dayDistribution(view, props.dayMs),
    `distribution ${view.model} ${feature} ${props.dayMs}`,
  );
  // the day shown: the one asked, or the server's default (its answer's window)
  const dayMs = props.dayMs ?? (state.status === 'ok' ? state.data.window.fromMs : undefined);
  const point = props.drift.find((p) => p.window.startMs === dayMs);
  const verdict = !point
    ? ''
    : point.status !== 'ok'
      ? ' · insufficient data'
      : `${point.significant ? ' · drifted' : ' · stable'} (${String(point.detail?.test ?? 'effect')} ${fmt(point.value, 3)})`;
  if (state.status === 'loading') return <p aria-busy="true">Loading the distribution…</p>;
  // no drift day to default to: nothing to overlay
  if (state.status === 'error')
    return props.drift.length === 0 ? null : <p role="alert">{state.error.message}</p>;
  const d = state.data;
  if (dayMs === undefined) return null;
  return (
    <Distribution
      title={`Reference vs ${day(dayMs)}${verdict}`}
      bins={d.bins}
      currentLabel={day(dayMs)}
      axisLabel={d.type === 'categorical' ? `${feature} (category)` : feature}
    >
      <p className="muted" data-testid="distribution-counts">
        reference: {fmt(d.reference.n)} values, {fmt(d.reference.missing)} missing · {day(dayMs)}:{' '}
        <span data-testid="current-n">{fmt(d.current.n)}</span> values, {fmt(d.current.missing)} missing
      </p>
    </Distribution>
  );
}

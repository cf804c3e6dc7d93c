/** Feature: drift statistics over time (with each window's verdict) and quality rates. */
import { bulk, byMetric } from '../api.js';
import { Chart } from '../components/Chart.js';
import { DAY, day, fmt, parseDay, pct } from '../format.js';
import { useLoad } from '../hooks.js';
import { href, type Route } from '../router.js';
import { modelView } from './Model.js';

const addDay = (ms: number | undefined) => (ms === undefined ? undefined : ms + DAY);

/** The feature page. */
export function FeaturePage(props: { route: Route }) {
  const view = { ...modelView(props.route), window: 'day' as const, segment: 'all' };
  const feature = props.route.parts[3];
  const state = useLoad(async () => {
    const kinds = ['drift', 'missing_rate', 'new_category_rate', 'out_of_range_rate'];
    const got = byMetric(
      await bulk(view.model, {
        metrics: kinds.map((k) => `${k}.${feature}`),
        window: 'day',
        fromMs: parseDay(view.from ?? null),
        toMs: addDay(parseDay(view.to ?? null)),
        detail: ['drift.'],
      }),
    );
    return Object.fromEntries(
      kinds.filter((k) => got[`${k}.${feature}`]).map((k) => [k, got[`${k}.${feature}`]]),
    );
  }, `feature ${view.model} ${feature} ${view.from} ${view.to}`);
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
                  <th scope="row">{day(p.window.startMs)}</th>
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

/** Models: every model's health at a glance, with sparklines. */
import {
  type AlertSummary,
  api,
  bulk,
  byMetric,
  latest,
  type ModelInfo,
  models,
  type Point,
} from '../api.js';
import { Sparkline } from '../components/Sparkline.js';
import { fmt } from '../format.js';
import { useLoad } from '../hooks.js';
import { href } from '../router.js';

/** A model's summary row. */
interface Health {
  model: ModelInfo;
  status: 'critical' | 'warning' | 'pending' | 'ok' | 'no data';
  firing: number;
  throughput: Point[];
  auc: Point[];
  cbpe: Point[];
  p99: Point[];
  worst: { feature: string; value: number; score: number; significant: boolean } | null;
}

async function health(model: ModelInfo): Promise<Health> {
  const [got, alerts] = await Promise.all([
    bulk(model.id, {
      metrics: ['throughput', 'roc_auc', 'cbpe.roc_auc', 'latency_p99', 'drift.*'],
      window: 'day',
    }),
    api<{ alerts: AlertSummary[] }>(
      `/v1/alerts?compact=1&state=active&model=${encodeURIComponent(model.id)}`,
    ),
  ]);
  const s = byMetric(got);
  const [throughput, auc, cbpe, p99] = ['throughput', 'roc_auc', 'cbpe.roc_auc', 'latency_p99'].map(
    (m) => s[m] ?? [],
  );
  let worst: Health['worst'] = null;
  for (const x of got) {
    if (!x.metric.startsWith('drift.')) continue;
    const p = latest(x.points);
    // effects of different tests compare through their materiality floors (the points' baseline)
    const score = p && p.value !== null ? p.value / (p.baseline || 1) : Number.NEGATIVE_INFINITY;
    if (p && p.value !== null && (!worst || score > worst.score))
      worst = { feature: x.metric.slice(6), value: p.value, score, significant: p.significant === true };
  }
  const firing = alerts.alerts.filter((a) => a.status === 'firing');
  const status = firing.some((a) => a.severity === 'critical')
    ? 'critical'
    : firing.length > 0
      ? 'warning'
      : alerts.alerts.length > 0
        ? 'pending'
        : throughput.length === 0
          ? 'no data'
          : 'ok';
  return { model, status, firing: firing.length, throughput, auc, cbpe, p99, worst };
}

/** The models page. */
export function ModelsPage() {
  const state = useLoad(async () => Promise.all((await models()).map(health)), 'models');
  if (state.status === 'loading') return <p aria-busy="true">Loading models…</p>;
  if (state.status === 'error') return <p role="alert">Could not load models: {state.error.message}</p>;
  if (state.data.length === 0) return <p>No models yet: create one with POST /v1/models.</p>;
  return (
    <section>
      <h1>Models</h1>
      <table className="grid" data-testid="models-table">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Status</th>
            <th scope="col">Traffic (last day)</th>
            <th scope="col">ROC AUC (labelled)</th>
            <th scope="col">ROC AUC (estimated)</th>
            <th scope="col">Worst drift</th>
            <th scope="col">Latency p99</th>
          </tr>
        </thead>
        <tbody>
          {state.data.map((h) => {
            const t = latest(h.throughput);
            return (
              <tr key={h.model.id} data-model={h.model.id}>
                <th scope="row">
                  <a href={href(`/models/${encodeURIComponent(h.model.id)}`)}>{h.model.id}</a>
                </th>
                <td>
                  <a
                    className={`badge ${h.status === 'no data' ? 'inactive' : h.status}`}
                    href={href('/alerts', { model: h.model.id })}
                  >
                    {h.status}
                    {h.firing > 0 ? ` · ${h.firing} firing` : ''}
                  </a>
                </td>
                <td>
                  <span data-testid="traffic">{fmt(t?.value)}</span>{' '}
                  <Sparkline points={h.throughput} label={`${h.model.id} daily traffic`} />
                </td>
                <td>
                  <span data-testid="auc">{fmt(latest(h.auc)?.value, 3)}</span>{' '}
                  <Sparkline points={h.auc} label={`${h.model.id} ROC AUC`} />
                </td>
                <td>
                  <span data-testid="cbpe">{fmt(latest(h.cbpe)?.value, 3)}</span>{' '}
                  <Sparkline points={h.cbpe} label={`${h.model.id} estimated ROC AUC`} />
                </td>
                <td>
                  {h.worst ? (
                    <a
                      href={href(
                        `/models/${encodeURIComponent(h.model.id)}/features/${encodeURIComponent(h.worst.feature)}`,
                      )}
                    >
                      {h.worst.feature} {fmt(h.worst.value, 2)}
                      {h.worst.significant ? ' ●' : ''}
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <span data-testid="p99">{latest(h.p99) ? `${fmt(latest(h.p99)?.value, 3)} ms` : '—'}</span>{' '}
                  <Sparkline points={h.p99} label={`${h.model.id} p99 latency`} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted">● drift both significant and material in the latest window.</p>
    </section>
  );
}

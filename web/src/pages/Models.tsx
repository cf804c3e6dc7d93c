/** Models: every model's health at a glance, with sparklines. */

import { latest } from '../api.js';
import { Sparkline } from '../components/Sparkline.js';
import { fmt } from '../format.js';
import { useLoad } from '../hooks.js';
import { modelsHealth } from '../models-data.js';
import { href } from '../router.js';

/** The models page. */
export function ModelsPage() {
  const state = useLoad(modelsHealth, 'models');
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

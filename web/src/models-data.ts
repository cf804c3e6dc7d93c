/** The models page's data (no React: the boot prefetch starts its requests). */
import { type AlertSummary, api, bulk, byMetric, latest, type ModelInfo, models, type Point } from './api.js';

/** A model's summary row. */
export interface Health {
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

/** Every model's health row (the model list, then each model's series and alerts at once). */
export const modelsHealth = async (): Promise<Health[]> => Promise.all((await models()).map(health));

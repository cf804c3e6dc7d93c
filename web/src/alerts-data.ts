/** The alert pages' data (no React: the boot prefetch starts their requests). */
import type { EscalationPolicy, Notification } from '../../src/alerts/types.js';
import type { AlertDeliveryRow } from '../../src/store/store.js';
import { type Alert, type AlertSummary, api, models, type Point, quiet } from './api.js';
import type { Route } from './links.js';

/** `GET /v1/alerts/{id}?include=policy,history`: the alert, its notifications and their deliveries, its escalation policy and its metric per day. */
export interface AlertDetail {
  alert: Alert;
  notifications: Notification[];
  deliveries: AlertDeliveryRow[];
  policy?: EscalationPolicy | null;
  history?: Point[];
}

/** The list's filters, from the URL. */
export function alertFilter(route: Route) {
  const p = route.params;
  return {
    state: p.get('state') ?? 'active',
    severity: p.get('severity') ?? '',
    model: p.get('model') ?? '',
  };
}

/** The list's query string (compact: no history). */
export function alertListQuery(filter: ReturnType<typeof alertFilter>): URLSearchParams {
  const q = new URLSearchParams({ compact: '1', state: filter.state });
  if (filter.severity) q.set('severity', filter.severity);
  if (filter.model) q.set('model', filter.model);
  return q;
}

/** The alerts matching `q`. */
export const alertList = (q: URLSearchParams) => api<{ alerts: AlertSummary[] }>(`/v1/alerts?${q}`);

/** One alert with everything its page shows, in one request. */
export const alertDetail = (id: string) =>
  api<AlertDetail>(`/v1/alerts/${encodeURIComponent(id)}?include=policy,history`);

/** Starts the requests of an alerts route: the list (and the models of its filter), or one alert. */
export function prefetchAlerts(route: Route): void {
  if (route.parts.length >= 2) alertDetail(route.parts[1]).catch(quiet);
  else {
    alertList(alertListQuery(alertFilter(route))).catch(quiet);
    models().catch(quiet);
  }
}

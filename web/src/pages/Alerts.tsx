/** Alerts: list with filters, and one alert with evidence, history, acknowledge and silence. */
import { useState } from 'react';
import { alertDetail, alertFilter, alertList, alertListQuery } from '../alerts-data.js';
import { type Alert, api, models, type Point, refresh } from '../api.js';
import { Chart } from '../components/Chart.js';
import { TableHead } from '../components/TableHead.js';
import { DAY, fmt, time } from '../format.js';
import { useLoad } from '../hooks.js';
import { rcaRunLink } from '../rca-link.js';
import { href, navigate, type Route } from '../router.js';
import { canWrite, useSession } from '../session.js';
import { Escalation, NotificationHistory } from './AlertEscalation.js';

const states = ['active', 'firing', 'pending', 'resolved', 'all'];
const severities = ['', 'critical', 'warning', 'info'];

/** The alert list. */
export function AlertsPage(props: { route: Route }) {
  const filter = alertFilter(props.route);
  const q = alertListQuery(filter);
  const state = useLoad(() => alertList(q), q.toString());
  const known = useLoad(models, 'models');
  const go = (over: Partial<typeof filter>) => navigate(href('/alerts', { ...filter, ...over }));
  return (
    <section>
      <h1>Alerts</h1>
      <form className="controls" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          State{' '}
          <select value={filter.state} onChange={(e) => go({ state: e.target.value })}>
            {states.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Severity{' '}
          <select value={filter.severity} onChange={(e) => go({ severity: e.target.value })}>
            {severities.map((s) => (
              <option key={s} value={s}>
                {s || 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Model{' '}
          <select value={filter.model} onChange={(e) => go({ model: e.target.value })}>
            <option value="">any</option>
            {(known.status === 'ok' ? known.data : []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
              </option>
            ))}
          </select>
        </label>
      </form>
      {state.status === 'loading' && <p aria-busy="true">Loading…</p>}
      {state.status === 'error' && <p role="alert">{state.error.message}</p>}
      {state.status === 'ok' &&
        (state.data.alerts.length === 0 ? (
          <p>No alerts match.</p>
        ) : (
          <table className="grid" data-testid="alerts-table">
            <TableHead
              columns={[
                'status',
                'severity',
                'alert',
                'model',
                'segment',
                'version',
                'since',
                'value',
                'ack',
                'RCA',
              ]}
            />
            <tbody>
              {state.data.alerts.map((a) => (
                <tr key={a.id} data-alert={a.id}>
                  <td>
                    <span className={`badge ${a.status === 'firing' ? a.severity : a.status}`}>
                      {a.status}
                    </span>
                  </td>
                  <td>{a.severity}</td>
                  <th scope="row">
                    <a href={href(`/alerts/${a.id}`)}>
                      {a.ruleId} · {a.labels.metric}
                    </a>
                  </th>
                  <td>{a.model}</td>
                  <td>{a.labels.segment ?? '—'}</td>
                  <td>{a.labels.version ?? '—'}</td>
                  <td>{time(a.firedAtMs ?? a.activeAtMs ?? a.resolvedAtMs)}</td>
                  <td>{fmt(a.evidence?.value, 3)}</td>
                  <td>{a.ack ? `✓ ${a.ack.by}` : a.silencedBy.length > 0 ? 'silenced' : ''}</td>
                  <td>
                    {a.rcaId ? (
                      <a
                        href={href(
                          `/models/${encodeURIComponent(a.model)}/rca/${encodeURIComponent(a.rcaId)}`,
                        )}
                        aria-label={`RCA report of ${a.ruleId} on ${a.labels.segment ?? 'all'}`}
                      >
                        report
                      </a>
                    ) : (
                      ''
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}

/** The alert's metric over time (day windows, the alert's segment), from the alert's detail. */
function MetricHistory(props: { alert: Alert; points: Point[] }) {
  const { labels } = props.alert;
  return (
    <div className="charts">
      <Chart
        title={`${labels.metric} per day, segment ${labels.segment ?? 'all'}`}
        series={[{ label: labels.metric, points: props.points, color: '--c1', band: true }]}
      />
    </div>
  );
}

/** One alert. */
export function AlertPage(props: { route: Route }) {
  const id = props.route.parts[1];
  const session = useSession();
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState('');
  const state = useLoad(() => alertDetail(id), `${id} ${version}`);
  if (state.status === 'loading') return <p aria-busy="true">Loading…</p>;
  if (state.status === 'error') return <p role="alert">{state.error.message}</p>;
  const a = state.data.alert;
  const e = a.evidence;
  const act = async (what: string, run: () => Promise<unknown>) => {
    try {
      await run();
      setMessage(`${what}: done`);
    } catch (err) {
      setMessage(`${what} failed: ${(err as Error).message}`);
    }
    refresh();
    setVersion((v) => v + 1);
  };
  const matchers = ['alertname', 'model', 'segment', 'version']
    .filter((k) => a.labels[k] !== undefined)
    .map((k) => `${k}=${a.labels[k]}`);
  const modelLink = href(`/models/${encodeURIComponent(a.model)}`, {
    segment: a.labels.segment && a.labels.segment !== 'all' ? a.labels.segment : undefined,
    metric: ['roc_auc', 'accuracy', 'precision', 'recall', 'f1'].includes(a.labels.metric)
      ? a.labels.metric
      : undefined,
  });
  return (
    <section>
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href="#/alerts">Alerts</a> › {a.id}
      </nav>
      <h1>
        <span className={`badge ${a.status === 'firing' ? a.severity : a.status}`}>{a.status}</span>{' '}
        {a.ruleId} · {a.labels.metric}
      </h1>
      <p>
        <a href={modelLink}>Open {a.model} at this segment</a>
        {a.labels.feature && (
          <>
            {' · '}
            <a
              href={href(
                `/models/${encodeURIComponent(a.model)}/features/${encodeURIComponent(a.labels.feature)}`,
              )}
            >
              feature {a.labels.feature}
            </a>
          </>
        )}
        {' · '}
        <RcaLink alert={a} write={canWrite(session)} />
        {a.runbook && (
          <>
            {' · '}
            <a href={a.runbook}>runbook</a>
          </>
        )}
      </p>
      <div className="cols">
        <div>
          <h2>Evidence</h2>
          {e ? (
            <dl className="kv" data-testid="evidence">
              <dt>window</dt>
              <dd>{time(e.windowStartMs)}</dd>
              <dt>value</dt>
              <dd data-testid="evidence-value">{fmt(e.value, 4)}</dd>
              <dt>interval</dt>
              <dd>
                [{fmt(e.ciLow, 4)}, {fmt(e.ciHigh, 4)}]
              </dd>
              <dt>baseline</dt>
              <dd>{fmt(e.baseline, 4)}</dd>
              <dt>rows</dt>
              <dd>{fmt(e.n)}</dd>
              <dt>why</dt>
              <dd>{e.reason}</dd>
            </dl>
          ) : (
            <p>No evidence recorded.</p>
          )}
          <h2>Labels</h2>
          <dl className="kv">
            {Object.entries(a.labels).map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </div>
        <div>
          <h2>Act</h2>
          {!canWrite(session) && (
            <p className="muted" data-testid="read-only">
              {session.known
                ? 'This key is read-only: acknowledging and silencing need a key with the admin scope.'
                : 'Checking the key…'}
            </p>
          )}
          {canWrite(session) && (
            <>
              <form
                className="act"
                onSubmit={(ev) => {
                  ev.preventDefault();
                  const f = new FormData(ev.currentTarget);
                  act('Acknowledge', () =>
                    api(`/v1/alerts/${a.id}/ack`, {
                      method: 'POST',
                      body: { by: String(f.get('by')), note: String(f.get('note') ?? '') },
                    }),
                  );
                }}
              >
                <label>
                  Your name{' '}
                  <input name="by" required defaultValue={localStorage.getItem('plumbline.user') ?? ''} />
                </label>
                <label>
                  Note <input name="note" />
                </label>
                <button type="submit" disabled={a.ack !== null}>
                  {a.ack ? `Acknowledged by ${a.ack.by}` : 'Acknowledge'}
                </button>
              </form>
              <form
                className="act"
                onSubmit={(ev) => {
                  ev.preventDefault();
                  const f = new FormData(ev.currentTarget);
                  act('Silence', () =>
                    api('/v1/silences', {
                      method: 'POST',
                      body: {
                        matchers,
                        duration: String(f.get('duration')),
                        createdBy: String(f.get('createdBy')),
                        comment: String(f.get('comment') ?? ''),
                      },
                    }),
                  );
                }}
              >
                <p className="muted">Silence matching {matchers.join(', ')}</p>
                <label>
                  For{' '}
                  <select name="duration" defaultValue="2h">
                    <option value="1h">1 hour</option>
                    <option value="2h">2 hours</option>
                    <option value="1d">1 day</option>
                    <option value="7d">7 days</option>
                  </select>
                </label>
                <label>
                  Your name <input name="createdBy" required />
                </label>
                <label>
                  Comment <input name="comment" />
                </label>
                <button type="submit">Silence</button>
              </form>
            </>
          )}
          <p role="status" data-testid="action-status">
            {message}
          </p>
          {a.silencedBy.length > 0 && <p>Silenced by {a.silencedBy.join(', ')}</p>}
          {a.inhibitedBy.length > 0 && (
            <p>
              Inhibited by{' '}
              {a.inhibitedBy.map((x) => (
                <a key={x} href={href(`/alerts/${x}`)}>
                  {x}{' '}
                </a>
              ))}
            </p>
          )}
        </div>
      </div>
      <MetricHistory alert={a} points={state.data.history ?? []} />
      <h2>History</h2>
      <table className="grid" data-testid="history">
        <TableHead columns={['at', 'from', 'to', 'reason']} />
        <tbody>
          {a.history.map((t) => (
            <tr key={`${t.atMs}-${t.to}`}>
              <td>{time(t.atMs)}</td>
              <td>{t.from}</td>
              <td>{t.to}</td>
              <td className="reason">{t.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Escalation detail={state.data} />
      <h2>Notifications</h2>
      <NotificationHistory detail={state.data} />
    </section>
  );
}

/** The alert's RCA: its stored report, else (for write keys) a run of the alert's day against the day before. */
function RcaLink(props: { alert: Alert; write: boolean }) {
  const a = props.alert;
  if (a.rcaId)
    return (
      <a
        href={href(`/models/${encodeURIComponent(a.model)}/rca/${encodeURIComponent(a.rcaId)}`)}
        data-testid="rca-link"
      >
        RCA report
      </a>
    );
  if (!props.write || !a.evidence) return <span className="muted">no RCA yet</span>;
  const from = Math.floor(a.evidence.windowStartMs / DAY) * DAY;
  const seg =
    a.labels.segment && a.labels.segment !== 'all'
      ? /^(?:tags\.)?([^=]+)=(.*)$/.exec(a.labels.segment)
      : null;
  return (
    <a
      className="button"
      data-testid="run-rca"
      href={rcaRunLink(a.model, {
        from,
        to: from + DAY,
        metric: /^latency/.test(a.labels.metric) ? a.labels.metric : 'error_rate',
        segment: seg ? { [seg[1]]: seg[2] } : undefined,
        alertId: a.id,
      })}
    >
      Run RCA on this window
    </a>
  );
}
